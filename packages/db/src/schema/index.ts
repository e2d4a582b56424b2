export * from './tenant.table.ts';
export * from './user.table.ts';
export * from './nas.table.ts';
export * from './plan.table.ts';
export * from './voucher.table.ts';
export * from './subscriber.table.ts';
export * from './radius-session.table.ts';
export * from './audit.table.ts';
