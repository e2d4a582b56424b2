// `/tool/fetch =url= [=dst-path=] [=mode=] [=check-certificate=] [=output=file]`: downloads over
// HTTP(S) for real and stores the body in /file, as a router does. The reply is one `!re` with
// `status=finished`, `downloaded` and `total` (KiB, as RouterOS counts) and `duration`, then
// `!done`; a real router also streams `connecting`/`downloading` progress first, which clients
// must skip. A failed download traps with RouterOS's "failure: closing connection: <…>" wording
// and leaves no file.
import { writeFile } from '../state/file.menus.ts';
import type { RouterState } from '../state/router.state.ts';
import { TRAP_CATEGORY, TrapError, unknownParameter } from '../state/router.errors.ts';
import type { CommandReply } from './command.reply.ts';
import type { ApiRequest } from './command.request.ts';

const FETCH_ARGS: ReadonlySet<string> = new Set([
  'url',
  'dst-path',
  'mode',
  'check-certificate',
  'output',
  'keep-result',
  'http-method',
  'as-value',
  'duration',
]);
const MAX_BYTES = 16 * 1024 * 1024;

export interface FetchCommand {
  readonly request: ApiRequest;
  readonly state: RouterState;
  readonly reply: CommandReply;
  readonly stopped: () => boolean;
}

function destination(url: URL, dstPath: string | undefined): string {
  if (dstPath) return dstPath.replace(/^\/+/, '');
  return url.pathname.split('/').filter(Boolean).at(-1) ?? 'index.html';
}

/** Validates now (throws TrapError), downloads later; resolves when the reply is complete. */
export async function runToolFetch({ request, state, reply, stopped }: FetchCommand): Promise<void> {
  for (const name of request.attributes.keys()) if (!FETCH_ARGS.has(name)) throw unknownParameter();
  const raw = request.attributes.get('url') ?? '';
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new TrapError('invalid value for argument url', TRAP_CATEGORY.argumentValue);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new TrapError('invalid value for argument url', TRAP_CATEGORY.argumentValue);
  const output = request.attributes.get('output') ?? 'file';
  const started = Date.now();
  let body: Buffer;
  try {
    const res = await fetch(url, { redirect: 'follow', signal: AbortSignal.timeout(30_000) });
    if (!res.ok) {
      throw new TrapError(`failure: closing connection: <${res.status} ${res.statusText}> ${url.host} (4)`);
    }
    body = Buffer.from(await res.arrayBuffer());
    if (body.length > MAX_BYTES) throw new TrapError('failure: file too big');
  } catch (error) {
    if (error instanceof TrapError) throw error;
    throw new TrapError(`failure: connection failed: ${url.host}`);
  }
  if (stopped()) return;
  if (output === 'file') writeFile(state, destination(url, request.attributes.get('dst-path')), body);
  const kib = String(Math.ceil(body.length / 1024));
  const seconds = Math.max(1, Math.round((Date.now() - started) / 1000));
  reply.re({ status: 'finished', downloaded: kib, total: kib, duration: `${seconds}s` });
}
