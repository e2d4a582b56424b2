// @kasi/routeros: Kasi's transport to MikroTik routers over the RouterOS API (api-ssl by
// default), built on a pinned and patched node-routeros (docs/adr/0005) that nothing outside
// this package imports.

export { connectRouter, RouterClient } from './router.client.ts';
export type { PrintCallOptions } from './router.client.ts';
export type { ConnectRouterOptions, RouterLogEvent, RouterTlsOptions } from './router.options.ts';
export type { BackoffPolicy } from './reconnect.backoff.ts';
export { DEFAULT_BACKOFF } from './reconnect.backoff.ts';
export { RouterError, ROUTER_ERROR_CODES, TRAP_CATEGORY, isRouterError } from './router.errors.ts';
export type { RouterErrorCode } from './router.errors.ts';
export type { PrintOptions, RouterAttributes, RouterValue } from './command.words.ts';
export type {
  HotspotActiveSession,
  HotspotProfile,
  PppAaa,
  PppActiveSession,
  RadiusClient,
  RadiusIncoming,
  RouterInterface,
  RouterResource,
} from './router.records.ts';
export type { RouterRow } from './row.reader.ts';
export { SAFE_MODE_HISTORY_LIMIT, supportsSafeMode } from './safe-mode.ts';
export type { SafeModeSupport, SafeModeTake } from './safe-mode.ts';
export { parseDuration, parseFlag, parseGmtOffset, parseInteger, parseRouterDate } from './router.values.ts';
