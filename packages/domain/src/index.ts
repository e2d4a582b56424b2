export * from './errors.ts';
export * from './money.ts';
export * from './roles.ts';
export * from './voucher-code.ts';
export * from './rate-limit.ts';
export * from './access-policy.ts';
export * from './plan.input.ts';
export * from './voucher.input.ts';
