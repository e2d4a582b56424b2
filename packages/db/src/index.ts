export * as schema from './schema/index.ts';
export * from './schema/index.ts';
export * from './client.ts';
export * from './migrate.ts';
export * from './embedded.ts';
export * from './keyring.ts';
export * from './master-key.ts';
export * from './audit.ts';
export * from './pg-errors.ts';
