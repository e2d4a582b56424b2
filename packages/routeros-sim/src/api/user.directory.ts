// API users and their groups' policies. Login needs the `api` policy; reading needs `read`
// and changing configuration needs `write`, as on RouterOS.
import { MESSAGES, TrapError } from '../state/router.errors.ts';

export interface ApiUserSpec {
  name: string;
  password: string;
  group: string;
}

export interface GroupSpec {
  name: string;
  policy: readonly string[];
}

const LOGIN_POLICIES = ['local', 'telnet', 'ssh', 'reboot', 'test', 'winbox', 'password', 'web', 'sniff'];
const READ = [...LOGIN_POLICIES, 'read', 'sensitive', 'api', 'romon', 'rest-api'];

export const DEFAULT_GROUPS: readonly GroupSpec[] = [
  { name: 'full', policy: [...READ, 'write', 'policy', 'ftp'] },
  { name: 'read', policy: READ },
  { name: 'write', policy: [...READ, 'write'] },
];

export const DEFAULT_USERS: readonly ApiUserSpec[] = [{ name: 'admin', password: '', group: 'full' }];

export interface ApiUser {
  readonly name: string;
  readonly group: string;
  readonly policies: ReadonlySet<string>;
}

export class UserDirectory {
  readonly #users = new Map<string, ApiUserSpec>();
  readonly #groups = new Map<string, ReadonlySet<string>>();

  constructor(users: readonly ApiUserSpec[], groups: readonly GroupSpec[]) {
    for (const group of [...DEFAULT_GROUPS, ...groups]) this.#groups.set(group.name, new Set(group.policy));
    for (const user of users) this.#users.set(user.name, user);
  }

  /** Checks credentials, then the api policy (a known user without it gets "not allowed (9)"). */
  authenticate(name: string, password: string): ApiUser {
    const spec = this.#users.get(name);
    if (!spec || spec.password !== password) throw new TrapError(MESSAGES.badCredentials);
    const policies = this.#groups.get(spec.group) ?? new Set<string>();
    if (!policies.has('api')) throw new TrapError(MESSAGES.notAllowed);
    return { name: spec.name, group: spec.group, policies };
  }
}
