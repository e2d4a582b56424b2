// Shapes of the settings API's answers, read off the router type (no server code).
import type { api } from './api.ts';

type Output<F extends (...args: never[]) => Promise<unknown>> = Awaited<ReturnType<F>>;

export type TenantSettingsView = Output<typeof api.settings.tenant.query>;
export type RadiusEndpointView = Output<typeof api.settings.radius.query>;
export type GettingStartedView = Output<typeof api.settings.gettingStarted.query>;
export type InviteResult = Output<typeof api.settings.invite.mutate>;
