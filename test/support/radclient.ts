// Runs Debian's real radclient (freeradius-utils) and reports what it received.
import { spawn } from 'node:child_process';

export interface RadclientResult {
  code: string | null;
  output: string;
  attributes: Record<string, string>;
}

export function radclient(opts: {
  port: number;
  type: 'auth' | 'acct' | 'status';
  secret: string;
  attributes: string;
  timeoutS?: number;
  /** Tries in all (radclient -r); a router retries an unanswered Access-Request. */
  tries?: number;
}): Promise<RadclientResult> {
  return new Promise((resolve, reject) => {
    const child = spawn('radclient', [
      '-x',
      '-r',
      String(opts.tries ?? 1),
      '-t',
      String(opts.timeoutS ?? 2),
      `127.0.0.1:${opts.port}`,
      opts.type,
      opts.secret,
    ]);
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.on('error', reject);
    child.on('close', () => {
      const code = /Received (\S+) Id/.exec(output)?.[1] ?? null;
      const received = output.split(/Received \S+ Id/)[1] ?? '';
      const attributes: Record<string, string> = {};
      for (const m of received.matchAll(/^\s+([A-Za-z0-9-]+) = (.*)$/gm))
        attributes[m[1] ?? ''] = (m[2] ?? '').replace(/^"|"$/g, '');
      resolve({ code, output, attributes });
    });
    child.stdin.end(opts.attributes + '\n');
  });
}
