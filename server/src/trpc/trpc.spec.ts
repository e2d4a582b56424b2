import { describe, expect, it } from 'vitest';
import { RouterError } from '@kasi/routeros';
import { conflict } from '@kasi/domain';
import { toTrpcError } from './trpc.ts';

describe('toTrpcError', () => {
  it('maps domain errors by kind and keeps their code', () => {
    const e = toTrpcError(conflict('PLAN.NAME_TAKEN', 'taken'));
    expect(e.code).toBe('CONFLICT');
    expect(e.cause).toMatchObject({ code: 'PLAN.NAME_TAKEN' });
  });

  it('explains router failures instead of a generic 500', () => {
    const e = toTrpcError(new RouterError('ROUTER.UNREACHABLE', 'connect ECONNREFUSED 192.0.2.1:8729'));
    expect(e.code).toBe('BAD_GATEWAY');
    expect(e.message).toMatch(/cannot be reached/);
    expect(e.cause).toMatchObject({ code: 'ROUTER.UNREACHABLE' });
    expect(toTrpcError(new RouterError('ROUTER.AUTH_FAILED', 'invalid user name or password (6)')).code).toBe(
      'BAD_REQUEST',
    );
  });

  it('answers PostgreSQL data exceptions (class 22) from client input as a typed 400', () => {
    const pg = Object.assign(new Error('value "9223372036854775808" is out of range for type bigint'), {
      code: '22003',
    });
    const e = toTrpcError(new Error('Failed query: insert into "plans" …', { cause: pg }));
    expect(e.code).toBe('BAD_REQUEST');
    expect(e.message).not.toContain('9223372036854775808');
    expect(e.cause).toMatchObject({ code: 'INPUT.REFUSED_BY_DATABASE', details: { sqlState: '22003' } });
    expect(toTrpcError(Object.assign(new Error('deadlock'), { code: '40P01' })).code).toBe(
      'INTERNAL_SERVER_ERROR',
    );
  });

  it('hides unknown errors', () => {
    const e = toTrpcError(new Error('password=hunter2 in a stack trace'));
    expect(e.code).toBe('INTERNAL_SERVER_ERROR');
    expect(e.message).toBe('Something went wrong');
  });
});
