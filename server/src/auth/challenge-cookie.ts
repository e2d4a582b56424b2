// The pending second sign-in step rides in its own HttpOnly cookie, like the session token:
// page scripts never hold it, and it opens nothing but auth.secondStep for five minutes.
export const CHALLENGE_COOKIE = 'kasi_login_challenge';

export function challengeCookie(token: string, maxAgeMs: number, secure: boolean): string {
  const attrs = [
    `${CHALLENGE_COOKIE}=${token}`,
    'Path=/trpc',
    'HttpOnly',
    'SameSite=Strict',
    `Max-Age=${Math.floor(maxAgeMs / 1000)}`,
  ];
  if (secure) attrs.push('Secure');
  return attrs.join('; ');
}

export const clearedChallengeCookie = (secure: boolean) =>
  `${CHALLENGE_COOKIE}=; Path=/trpc; HttpOnly; SameSite=Strict; Max-Age=0${secure ? '; Secure' : ''}`;
