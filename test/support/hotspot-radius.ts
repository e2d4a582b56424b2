// What a MikroTik hotspot does with a login: one RADIUS Access-Request to radiusd (Debian's
// radclient, the real wire format). A login from the page's CHAP form goes as CHAP-Password
// (id + response) with CHAP-Challenge; one from `/ip/hotspot/active/login` (a plain password)
// as PAP. For the emulator's `state.hotspotAuthenticator`.
import type { HotspotLoginAttempt } from '@kasi/routeros-sim';
import { radclient, type RadclientResult } from './radclient.ts';

export function hotspotRadiusCheck(o: { port: number; secret: string }) {
  return (a: HotspotLoginAttempt): Promise<RadclientResult> => {
    const quoted = (s: string) => `"${s.replace(/[\\"]/g, '\\$&')}"`;
    const proof = a.chap
      ? [
          `CHAP-Password = 0x${a.chap.id.toString('hex')}${a.password}`,
          `CHAP-Challenge = 0x${a.chap.challenge.toString('hex')}`,
        ]
      : [`User-Password = ${quoted(a.password)}`];
    return radclient({
      port: o.port,
      type: 'auth',
      secret: o.secret,
      // As a router does: a request lost or late on a loaded machine is sent again.
      timeoutS: 5,
      tries: 3,
      attributes: [
        `User-Name = ${quoted(a.user)}`,
        ...proof,
        `Calling-Station-Id = ${quoted(a.macAddress)}`,
        `Framed-IP-Address = ${a.ip}`,
        'Message-Authenticator = 0x00',
      ].join(', '),
    });
  };
}
