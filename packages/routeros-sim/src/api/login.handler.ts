// /login as RouterOS has answered it since 6.43: plain `=name=` + `=password=`. A bare /login
// still gets an MD5 challenge in `=ret=`, but a `=response=` to it never succeeds (the old flow
// was removed after 6.45), which is what stale clients meet on real routers.
import { randomBytes } from 'node:crypto';
import { MESSAGES, TrapError } from '../state/router.errors.ts';
import type { CommandReply } from './command.reply.ts';
import type { ApiRequest } from './command.request.ts';
import type { ApiUser, UserDirectory } from './user.directory.ts';

/** Returns the user now logged in, or undefined when only a challenge was handed out. */
export function handleLogin(
  request: ApiRequest,
  reply: CommandReply,
  users: UserDirectory,
): ApiUser | undefined {
  const name = request.attributes.get('name');
  const password = request.attributes.get('password');
  if (name === undefined && password === undefined && !request.attributes.has('response')) {
    reply.done(randomBytes(16).toString('hex'));
    return undefined;
  }
  if (name === undefined || password === undefined) throw new TrapError(MESSAGES.badCredentials);
  const user = users.authenticate(name, password);
  reply.done();
  return user;
}
