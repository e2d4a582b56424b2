// Sentence framing of the patched node-routeros, with TCP segment boundaries pinned at awkward
// places, one of which (a sentence's final zero byte alone in a segment) unpatched 1.6.9 never
// completes. The emulator's byte-by-byte mode cannot pin them: the client's reads coalesce. A
// scripted server answers /login, then replies to each menu command with the given segments,
// 20 ms apart; it ignores node-routeros's "#" keep-alive, whose replies would otherwise flush a
// stuck reply. It has its own tiny encoder, not the client's.
import { createServer } from 'node:net';
import type { Server, Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { connectRouter } from './router.client.ts';

function encodeWord(word: string): Buffer {
  const bytes = Buffer.from(word, 'latin1');
  const n = bytes.length;
  const prefix = n < 0x80 ? [n] : [(n >> 8) | 0x80, n & 0xff];
  if (n >= 0x4000) throw new RangeError('test words stay under 16 KiB');
  return Buffer.concat([Buffer.from(prefix), bytes]);
}

function encodeSentence(...words: string[]): Buffer {
  return Buffer.concat([...words.map(encodeWord), Buffer.from([0])]);
}

/** Replies for one command: the segments to write, built from that command's tag. */
type Script = (tag: string) => Buffer[];

let server: Server | undefined;

afterEach(async () => {
  await new Promise((resolve) => server?.close(resolve));
  server = undefined;
});

async function startScriptedRouter(script: Script): Promise<number> {
  server = createServer((socket) => serve(socket, script));
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  return typeof address === 'object' && address ? address.port : 0;
}

function serve(socket: Socket, script: Script): void {
  let pending = Buffer.alloc(0);
  socket.on('error', () => undefined);
  socket.on('data', (chunk: Buffer) => {
    pending = Buffer.concat([pending, chunk]);
    // Commands here are short: one-byte length prefixes, ended by a zero byte.
    for (let end = pending.indexOf(0); end >= 0; end = pending.indexOf(0)) {
      const words: string[] = [];
      for (let at = 0; at < end; at += 1 + (pending[at] ?? 0)) {
        words.push(pending.subarray(at + 1, at + 1 + (pending[at] ?? 0)).toString('latin1'));
      }
      pending = pending.subarray(end + 1);
      const tag = words.find((w) => w.startsWith('.tag='))?.slice(5) ?? '';
      if (words[0] === '/login') socket.write(encodeSentence('!done', `.tag=${tag}`));
      else if (words[0]?.startsWith('/')) void writeSlowly(socket, script(tag));
    }
  });
}

async function writeSlowly(socket: Socket, segments: Buffer[]): Promise<void> {
  for (const segment of segments) {
    if (socket.destroyed) return;
    socket.write(segment);
    await sleep(20);
  }
}

async function printAgainst(script: Script): Promise<unknown> {
  const port = await startScriptedRouter(script);
  const client = await connectRouter({
    host: '127.0.0.1',
    port,
    tls: false,
    allowPlain: true,
    username: 'kasi',
    password: 'x',
    timeoutMs: 4000,
  });
  try {
    const started = Date.now();
    const rows = await client.print('/interface');
    // Well inside the timeout: the reply completed, not an incidental later read.
    expect(Date.now() - started).toBeLessThan(1000);
    return rows;
  } finally {
    await client.close();
  }
}

describe('reply framing', () => {
  it('completes a reply whose final zero byte arrives in a segment of its own', async () => {
    const rows = await printAgainst((tag) => {
      const done = encodeSentence('!done', `.tag=${tag}`);
      return [encodeSentence('!re', '=name=ether1', `.tag=${tag}`), done.subarray(0, -1), done.subarray(-1)];
    });
    expect(rows).toEqual([{ name: 'ether1' }]);
  });

  it('joins a two-byte length prefix split across segments', async () => {
    const long = `=comment=${'x'.repeat(200)}`;
    const rows = await printAgainst((tag) => {
      const re = encodeSentence('!re', `.tag=${tag}`, long);
      const split = re.indexOf(Buffer.from(long, 'latin1')) - 1;
      return [re.subarray(0, split), re.subarray(split), encodeSentence('!done', `.tag=${tag}`)];
    });
    expect(rows).toEqual([{ comment: 'x'.repeat(200) }]);
  });

  it('keeps a sentence whole when a segment ends right after a length prefix, tag first', async () => {
    const rows = await printAgainst((tag) => {
      const re = encodeSentence('!re', `.tag=${tag}`, '=name=ether1', '=mtu=1500');
      const split = re.indexOf(Buffer.from('=mtu=1500', 'latin1'));
      return [re.subarray(0, split), re.subarray(split), encodeSentence('!done', `.tag=${tag}`)];
    });
    expect(rows).toEqual([{ name: 'ether1', mtu: '1500' }]);
  });

  it('treats !empty as no rows and keeps attribute-less !re rows, in any segmentation', async () => {
    expect(
      await printAgainst((tag) => [
        encodeSentence('!empty', `.tag=${tag}`),
        encodeSentence('!done', `.tag=${tag}`),
      ]),
    ).toEqual([]);
    expect(
      await printAgainst((tag) => [
        encodeSentence('!re', `.tag=${tag}`),
        encodeSentence('!done', `.tag=${tag}`),
      ]),
    ).toEqual([{}]);
  });
});
