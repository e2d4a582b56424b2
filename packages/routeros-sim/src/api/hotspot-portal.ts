// The hotspot's own web server, as a device behind the hotspot meets it: serves the pages of
// the hotspot profile's `html-directory` (files in /file, put there by /tool/fetch) with
// RouterOS's variables filled in, and logs the device in from the login form.
//
// Like RouterOS, the CHAP challenge belongs to the host (the device), not to the server: a
// host keeps its challenge across page views until it makes a login attempt, which uses it
// up (the next page view gets a fresh one). A page rendered for one host therefore stays
// valid while the same or another host opens /login again — a single challenge for the
// whole server, replaced on every GET, made a login fail whenever another view came between
// a page and its post.
//
// RouterOS knows a host by its MAC and IP; every client of the emulator comes from loopback,
// so a request names its device in the `x-sim-host` header ("AA:BB:CC:DD:EE:FF 10.5.50.21",
// e.g. Playwright's extraHTTPHeaders) or is the portal's default host. A login is checked by
// `state.hotspotAuthenticator` (a test's RADIUS request) or the local /ip/hotspot/user table,
// then the device appears in /ip/hotspot/active — the same as `/ip/hotspot/active/login`.
import { createHash, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { addHotspotSession } from '../state/active-sessions.ts';
import type { RouterState } from '../state/router.state.ts';
import type { HotspotLoginAttempt } from './hotspot-login.handler.ts';

export interface HotspotHost {
  /** AA:BB:CC:DD:EE:FF */
  mac: string;
  ip: string;
}

/** Fills a page's `$(…)` variables as RouterOS does (tests pass @kasi/domain's fillRouterVariables). */
export type PageFiller = (template: string, vars: Readonly<Record<string, string>>) => string;

export interface HotspotPortalOptions {
  /** The device a request without an `x-sim-host` header comes from. */
  defaultHost?: HotspotHost;
  /** Default: plain `$(name)` / `$(name-esc)` substitution (no `$(if …)`). */
  fill?: PageFiller;
  /** `login-by`: http-chap (RouterOS's default) puts a challenge in the page; http-pap does not. */
  loginBy?: 'http-chap' | 'http-pap';
  /** Where an unauthenticated device was going (`$(link-orig)`); default http://example.com/. */
  linkOrig?: string;
}

export interface HotspotPortal {
  readonly url: string;
  /** The CHAP challenge a host holds right now (created on its first page view), if any. */
  challengeOf(host: HotspotHost): { id: Buffer; challenge: Buffer } | undefined;
  close(): Promise<void>;
}

const TYPES: Record<string, string> = {
  html: 'text/html; charset=utf-8',
  js: 'text/javascript; charset=utf-8',
  css: 'text/css; charset=utf-8',
};

/** RouterOS writes the CHAP bytes into a page as octal escapes inside a JavaScript string. */
const octal = (bytes: Buffer) => [...bytes].map((b) => `\\${b.toString(8).padStart(3, '0')}`).join('');

const plainFill: PageFiller = (template, vars) =>
  template.replace(/\$\(([a-z][a-z0-9-]*)\)/g, (_, name: string) => {
    if (name in vars) return vars[name] ?? '';
    if (name.endsWith('-esc')) return encodeURIComponent(vars[name.slice(0, -4)] ?? '');
    return '';
  });

function hostOf(req: IncomingMessage, fallback: HotspotHost): HotspotHost {
  const named = req.headers['x-sim-host'];
  const m =
    typeof named === 'string' ? /^([0-9A-Fa-f:]{17})\s+(\d+\.\d+\.\d+\.\d+)$/.exec(named.trim()) : null;
  return m ? { mac: (m[1] ?? '').toUpperCase(), ip: m[2] ?? '' } : fallback;
}

async function formOf(req: IncomingMessage, url: URL): Promise<URLSearchParams> {
  if (req.method !== 'POST') return url.searchParams;
  let body = '';
  for await (const chunk of req as AsyncIterable<Buffer>) {
    body += chunk.toString('latin1');
    if (body.length > 8192) break;
  }
  return new URLSearchParams(body);
}

/** The local check: a /ip/hotspot/user whose password proves the attempt (CHAP or plain). */
function localCheck(state: RouterState, a: HotspotLoginAttempt): string | null {
  const user = state.table('/ip/hotspot/user').findByName(a.user);
  if (!user || user.disabled === 'true') return 'invalid username or password';
  const secret = user.password ?? '';
  const ok = a.chap
    ? createHash('md5')
        .update(Buffer.concat([a.chap.id, Buffer.from(secret, 'latin1'), a.chap.challenge]))
        .digest('hex') === a.password.toLowerCase()
    : secret === a.password;
  return ok ? null : 'invalid username or password';
}

export async function startHotspotPortal(
  state: RouterState,
  options: HotspotPortalOptions = {},
): Promise<HotspotPortal> {
  const fallback = options.defaultHost ?? { mac: '02:00:00:00:00:01', ip: '10.5.50.2' };
  const fill = options.fill ?? plainFill;
  const chapOn = (options.loginBy ?? 'http-chap') === 'http-chap';
  const challenges = new Map<string, { id: Buffer; challenge: Buffer }>();
  const keyOf = (h: HotspotHost) => `${h.mac.toUpperCase()} ${h.ip}`;
  let url = '';

  // The pages of the first hotspot server's profile; /file holds a file's bytes as latin1 text.
  const directory = () => {
    const profile = state.rows('/ip/hotspot')[0]?.profile ?? 'default';
    return state.rows('/ip/hotspot/profile').find((p) => p.name === profile)?.['html-directory'] ?? 'hotspot';
  };
  const file = (name: string) => {
    const row = state.table('/file').findByName(`${directory()}/${name}`);
    return row?.contents === undefined ? undefined : Buffer.from(row.contents, 'latin1').toString('utf8');
  };
  const active = (h: HotspotHost) => state.rows('/ip/hotspot/active').find((r) => r.address === h.ip);
  const challengeFor = (h: HotspotHost) => {
    let c = challenges.get(keyOf(h));
    if (!c) {
      c = { id: randomBytes(1), challenge: randomBytes(16) };
      challenges.set(keyOf(h), c);
    }
    return c;
  };

  function render(res: ServerResponse, name: string, h: HotspotHost, vars: Record<string, string>) {
    const template = file(name);
    if (template === undefined) return void res.writeHead(404).end('Not found');
    const row = active(h);
    const all: Record<string, string> = {
      'link-login-only': `${url}/login`,
      'link-login': `${url}/login?dst=${encodeURIComponent(options.linkOrig ?? 'http://example.com/')}`,
      'link-logout': `${url}/logout`,
      'link-status': `${url}/status`,
      'link-orig': options.linkOrig ?? 'http://example.com/',
      'link-redirect': options.linkOrig ?? 'http://example.com/',
      mac: h.mac,
      ip: h.ip,
      error: '',
      username: row?.user ?? '',
      'logged-in': row ? 'yes' : 'no',
      uptime: row?.uptime ?? '',
      ...vars,
    };
    const ext = name.split('.').pop() ?? '';
    const type = TYPES[ext] ?? 'application/octet-stream';
    // Variables are filled in the servlet pages only; md5.js and the rest go out as stored.
    const body = ext === 'html' ? fill(template, all) : template;
    res.writeHead(200, { 'content-type': type, 'cache-control': 'no-store' }).end(body);
  }

  function loginPage(res: ServerResponse, h: HotspotHost, vars: Record<string, string>) {
    const chap = chapOn ? challengeFor(h) : null;
    render(res, 'login.html', h, {
      'chap-id': chap ? octal(chap.id) : '',
      'chap-challenge': chap ? octal(chap.challenge) : '',
      ...vars,
    });
  }

  async function login(res: ServerResponse, h: HotspotHost, form: URLSearchParams) {
    const user = form.get('username') ?? '';
    const password = form.get('password') ?? '';
    const dst = form.get('dst') || options.linkOrig || 'http://example.com/';
    // The challenge is used up by this attempt, whatever its outcome.
    const chap = chapOn ? challenges.get(keyOf(h)) : undefined;
    challenges.delete(keyOf(h));
    const attempt: HotspotLoginAttempt = {
      user,
      password,
      ip: h.ip,
      macAddress: h.mac,
      ...(chap && /^[0-9a-f]{32}$/i.test(password) ? { chap } : {}),
    };
    const check = state.hotspotAuthenticator;
    let refusal: string | null;
    try {
      refusal = check ? await check(attempt) : localCheck(state, attempt);
    } catch (e) {
      refusal = e instanceof Error ? e.message : String(e);
    }
    if (refusal !== null) return loginPage(res, h, { error: refusal, username: user });
    addHotspotSession(state, {
      user,
      address: h.ip,
      macAddress: h.mac,
      loginBy: attempt.chap ? 'http-chap' : 'http-pap',
      radius: check !== undefined,
    });
    render(res, 'alogin.html', h, { username: user, 'link-redirect': dst });
  }

  const server: Server = createServer((req, res) => {
    const u = new URL(req.url ?? '/', url);
    const h = hostOf(req, fallback);
    const name = u.pathname.replace(/^\/+/, '');
    void (async () => {
      if (name === 'login' || name === 'login.html') {
        const form = await formOf(req, u);
        if (active(h)) return render(res, 'status.html', h, {});
        // A POST, or a GET that carries a password (RouterOS takes both), is a login attempt;
        // a GET with only a username shows the page with it filled in (a card's QR).
        if (req.method === 'POST' || form.has('password')) return login(res, h, form);
        return loginPage(res, h, { username: form.get('username') ?? '' });
      }
      if (name === 'status') return render(res, 'status.html', h, {});
      if (name === 'logout') {
        const row = active(h);
        if (row) state.remove('/ip/hotspot/active', row['.id'] ?? '');
        return render(res, 'logout.html', h, { username: row?.user ?? '' });
      }
      if (name.includes('..') || !/^[\w.-]+$/.test(name)) return void res.writeHead(404).end('Not found');
      return render(res, name, h, {});
    })().catch((e: unknown) => {
      if (!res.headersSent) res.writeHead(500).end(e instanceof Error ? e.message : String(e));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    challengeOf: (h) => challenges.get(keyOf(h)),
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
