// The hotspot's web server (hotspot-portal.ts): pages from the profile's html-directory with
// variables filled in, CHAP challenges kept per host until that host's login attempt, and a
// login that puts the device in /ip/hotspot/active.
import { createHash } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeFile } from '../state/file.menus.ts';
import type { RouterOsSim } from './api.server.ts';
import { startRouterOsSim } from './api.server.ts';
import { startHotspotPortal, type HotspotHost, type HotspotPortal } from './hotspot-portal.ts';

const LOGIN =
  '<form data-login="$(link-login-only)" data-mac="$(mac)" data-ip="$(ip)" data-user="$(username)" ' +
  "data-error=\"$(error)\"></form><script>var chap = ['$(chap-id)', '$(chap-challenge)'];</script>";
const A: HotspotHost = { mac: 'A4:5E:60:11:22:01', ip: '10.5.50.21' };
const B: HotspotHost = { mac: 'A4:5E:60:11:22:02', ip: '10.5.50.22' };

let sim: RouterOsSim;
let portal: HotspotPortal;

beforeEach(async () => {
  sim = await startRouterOsSim({ version: '7.18' });
  const dir = 'flash/kasi-test';
  for (const [name, body] of Object.entries({
    'login.html': LOGIN,
    'alogin.html': '<p>in as $(username), going to $(link-redirect)</p>',
    'status.html': '<p>status of $(username) at $(ip)</p>',
    'logout.html': '<p>bye $(username)</p>',
    'md5.js': 'var x = "$(mac)";',
  }))
    writeFile(sim.state, `${dir}/${name}`, Buffer.from(body));
  const profile = sim.state.rows('/ip/hotspot/profile').find((p) => p.name === 'hsprof1');
  sim.state.update('/ip/hotspot/profile', profile?.['.id'] ?? '', { 'html-directory': dir });
  sim.state.add('/ip/hotspot/user', { name: 'V1', password: 'V1' });
  portal = await startHotspotPortal(sim.state, { defaultHost: A });
});
afterEach(async () => {
  await portal.close();
  await sim.close();
});

const as = (h: HotspotHost) => ({ 'x-sim-host': `${h.mac} ${h.ip}` });

/** The CHAP bytes a page carries (RouterOS's octal escapes). */
function chapOf(html: string): { id: Buffer; challenge: Buffer } {
  const m = /var chap = \['((?:\\\d{3})*)', '((?:\\\d{3})*)'\]/.exec(html);
  const bytes = (s: string) => Buffer.from((s.match(/\d{3}/g) ?? []).map((o) => parseInt(o, 8)));
  return { id: bytes(m?.[1] ?? ''), challenge: bytes(m?.[2] ?? '') };
}

const response = (c: { id: Buffer; challenge: Buffer }, secret: string) =>
  createHash('md5')
    .update(Buffer.concat([c.id, Buffer.from(secret), c.challenge]))
    .digest('hex');

async function open(h: HotspotHost, query = '') {
  const r = await fetch(`${portal.url}/login${query}`, { headers: as(h) });
  return r.text();
}
function post(h: HotspotHost, form: Record<string, string>) {
  return fetch(`${portal.url}/login`, {
    method: 'POST',
    headers: { ...as(h), 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(form),
  }).then((r) => r.text());
}
const activeRows = () => sim.state.rows('/ip/hotspot/active');

describe('the hotspot web server', () => {
  it('fills the login page with the device, its own CHAP challenge and the username asked for', async () => {
    const html = await open(A, '?username=V1');
    expect(html).toContain(`data-login="${portal.url}/login"`);
    expect(html).toContain('data-mac="A4:5E:60:11:22:01" data-ip="10.5.50.21" data-user="V1"');
    const chap = chapOf(html);
    expect(chap.id).toHaveLength(1);
    expect(chap.challenge).toHaveLength(16);
    expect(portal.challengeOf(A)).toEqual(chap);
    // Scripts are served as stored.
    expect(await (await fetch(`${portal.url}/md5.js`)).text()).toBe('var x = "$(mac)";');
  });

  it('keeps a page valid while the same host or another one opens /login before the post', async () => {
    const first = chapOf(await open(A, '?username=V1'));
    // Between render and post: the same device loads the page again, another device opens it.
    expect(chapOf(await open(A))).toEqual(first);
    const other = chapOf(await open(B));
    expect(other.challenge.equals(first.challenge)).toBe(false);

    const page = await post(A, {
      username: 'V1',
      password: response(first, 'V1'),
      dst: 'http://news.example/',
    });
    expect(page).toBe('<p>in as V1, going to http://news.example/</p>');
    expect(activeRows()).toEqual([
      expect.objectContaining({ user: 'V1', address: A.ip, 'mac-address': A.mac, 'login-by': 'http-chap' }),
    ]);
    // Logged in: /login shows the status page; /logout ends the session.
    expect(await open(A)).toBe('<p>status of V1 at 10.5.50.21</p>');
    expect(await (await fetch(`${portal.url}/logout`, { headers: as(A) })).text()).toBe('<p>bye V1</p>');
    expect(activeRows()).toEqual([]);
  });

  it('uses a challenge up with the attempt: a wrong proof is refused and cannot be replayed', async () => {
    const chap = chapOf(await open(A));
    const refused = await post(A, { username: 'V1', password: response(chap, 'nope') });
    expect(refused).toContain('data-error="invalid username or password"');
    expect(refused).toContain('data-user="V1"');
    const fresh = chapOf(refused);
    expect(fresh.challenge.equals(chap.challenge)).toBe(false);
    // The right answer to the used-up challenge no longer works…
    expect(await post(A, { username: 'V1', password: response(chap, 'V1') })).toContain(
      'data-error="invalid',
    );
    expect(activeRows()).toEqual([]);
    // …the one to the host's current challenge does.
    const current = portal.challengeOf(A)!;
    expect(await post(A, { username: 'V1', password: response(current, 'V1') })).toContain('in as V1');
  });

  it('asks the authenticator a test plugs in, with the CHAP material', async () => {
    const seen: unknown[] = [];
    sim.state.hotspotAuthenticator = async (a) => {
      seen.push(a);
      return a.user === 'CODE' ? null : 'RADIUS server rejected';
    };
    const chap = chapOf(await open(B));
    expect(await post(B, { username: 'CODE', password: response(chap, 'CODE') })).toContain('in as CODE');
    expect(seen).toEqual([
      { user: 'CODE', password: response(chap, 'CODE'), ip: B.ip, macAddress: B.mac, chap },
    ]);
    expect(activeRows()[0]).toMatchObject({ radius: 'true', user: 'CODE' });
  });

  it('takes a plain password when the profile logs in by http-pap (no challenge in the page)', async () => {
    await portal.close();
    portal = await startHotspotPortal(sim.state, { defaultHost: A, loginBy: 'http-pap' });
    const html = await open(A);
    expect(chapOf(html)).toEqual({ id: Buffer.alloc(0), challenge: Buffer.alloc(0) });
    // RouterOS also takes the login as a GET with username and password.
    const r = await fetch(`${portal.url}/login?username=V1&password=V1`);
    expect(await r.text()).toContain('in as V1');
    expect(activeRows()[0]).toMatchObject({ 'login-by': 'http-pap', address: A.ip });
  });
});
