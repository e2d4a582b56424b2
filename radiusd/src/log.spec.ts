import { Writable } from 'node:stream';
import { DrizzleQueryError } from 'drizzle-orm/errors';
import { describe, expect, it } from 'vitest';
import { createLogger, describeError } from './log.ts';

const postgresError = (message: string, code: string) =>
  Object.assign(new Error(message), {
    name: 'PostgresError',
    code,
    severity: 'ERROR',
    detail: 'Key (code)=(X)',
  });

describe('radiusd log', () => {
  it('writes a failed statement without the values it ran with, keeping what PostgreSQL said', () => {
    const lines: string[] = [];
    const log = createLogger(
      'info',
      new Writable({
        write(chunk: Buffer, _encoding, done) {
          lines.push(chunk.toString('utf8'));
          done();
        },
      }),
    );
    const cause = postgresError('column vouchers.code does not exist', '42703');
    log.error(
      { err: new DrizzleQueryError('select 1 where code = any($2)', ['t1', ['A9B2RQN7H']], cause) },
      'x',
    );
    const text = lines.join('');
    expect(text).not.toContain('A9B2RQN7H');
    expect(text).not.toContain('Key (code)');
    expect(JSON.parse(text)).toMatchObject({
      err: {
        type: 'DrizzleQueryError',
        message: 'Failed query',
        query: 'select 1 where code = any($2)',
        cause: { type: 'Error', code: '42703', message: 'column vouchers.code does not exist' },
      },
    });
  });

  it('keeps only the code of a data exception, whose message quotes the refused value', () => {
    const described = describeError(
      postgresError('invalid input syntax for type uuid: "A9B2RQN7H"', '22P02'),
    );
    expect(JSON.stringify(described)).not.toContain('A9B2RQN7H');
    expect(described).toMatchObject({ code: '22P02', severity: 'ERROR' });
  });

  it('keeps stack frames but not the message line of a stack', () => {
    const e = new DrizzleQueryError('select 1', ['A9B2RQN7H'], undefined);
    expect(describeError(e).stack).toMatch(/^\s+at /);
    expect(describeError('A9B2RQN7H')).toEqual({ type: 'string' });
  });
});
