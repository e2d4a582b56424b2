// Roles and the permissions each holds. Least privilege: agents sell, viewers read.

export const ROLES = ['owner', 'admin', 'operator', 'agent', 'viewer'] as const;
export type Role = (typeof ROLES)[number];

export const PERMISSIONS = [
  'plan.read',
  'plan.write',
  'voucher.read',
  'voucher.write',
  'nas.read',
  'nas.write',
  'audit.read',
  'tenant.manage',
  'user.manage',
  'session.read',
  'subscriber.read',
  'subscriber.write',
  'session.kick',
  'router.read',
  'router.write',
  'change.approve',
  'agent.manage',
  'sale.sync',
  'cash.read',
  'cash.write',
  'billing.read',
  'billing.write',
  'dashboard.read',
] as const;
export type Permission = (typeof PERMISSIONS)[number];

const READ: Permission[] = [
  'plan.read',
  'voucher.read',
  'nas.read',
  'session.read',
  'subscriber.read',
  'router.read',
  'cash.read',
  'billing.read',
  'dashboard.read',
];
const OPERATE: Permission[] = [
  ...READ,
  'plan.write',
  'voucher.write',
  'nas.write',
  'subscriber.write',
  'session.kick',
  'router.write',
  'change.approve',
  'agent.manage',
  'cash.write',
  'billing.write',
];

const GRANTS: Readonly<Record<Role, ReadonlySet<Permission>>> = {
  owner: new Set(PERMISSIONS),
  admin: new Set([...OPERATE, 'audit.read', 'user.manage']),
  operator: new Set(OPERATE),
  // Agents sell from an enrolled device and see only their own stock (through sync, never the
  // tenant's code lists or print runs: stock codes are valid in RADIUS) and cash.
  agent: new Set(['plan.read', 'sale.sync']),
  viewer: new Set(READ),
};

export function can(role: Role, permission: Permission): boolean {
  return GRANTS[role].has(permission);
}

export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}
