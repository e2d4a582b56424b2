// @kasi/routeros-sim: a protocol-faithful RouterOS API emulator for tests and the demo.
export { startRouterOsSim } from './api/api.server.ts';
export type { RouterOsSim, RouterOsSimOptions } from './api/api.server.ts';
export type { CommandMatcher, FaultController, FaultSettings, WriteMode } from './api/fault.controller.ts';
export type { ApiUserSpec, GroupSpec } from './api/user.directory.ts';
export { startDemoRouter } from './demo/demo.router.ts';
export type { DemoRouter, DemoRouterOptions } from './demo/demo.router.ts';
export type { HotspotSessionInput, PppSessionInput, SubscriberControls } from './state/active-sessions.ts';
export type { Row } from './state/menu.schema.ts';
export type { RouterState, StateChange } from './state/router.state.ts';
export { addRows } from './state/router.state.ts';
export { SAFE_MODE_HISTORY_LIMIT } from './state/safe-mode.ts';
export type { SafeMode } from './state/safe-mode.ts';
export type { RouterOsVersion } from './state/version.profile.ts';
export type { HotspotAuthenticator, HotspotLoginAttempt } from './api/hotspot-login.handler.ts';
export { startHotspotPortal } from './api/hotspot-portal.ts';
export type { HotspotHost, HotspotPortal, HotspotPortalOptions, PageFiller } from './api/hotspot-portal.ts';
export { FILE_CONTENTS_LIMIT } from './state/file.menus.ts';
