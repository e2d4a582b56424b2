// What changes between the RouterOS releases the emulator imitates. Only behaviour a client
// can observe over the API is listed; everything else is shared.

export type RouterOsVersion = '6.49' | '7.17' | '7.18';

export interface VersionProfile {
  readonly id: RouterOsVersion;
  /** The `version` field of /system/resource. */
  readonly versionString: string;
  /** 7.18+ answers a print that matched nothing with `!empty` before `!done`. */
  readonly emptyReply: boolean;
  /** 7.10+ writes dates as 2025-01-31 and date-times as 2025-01-31 12:00:00. */
  readonly isoDates: boolean;
  /** When the "firmware" was built (UTC ms), shown as build-time. */
  readonly buildTime: number;
  /**
   * Value of `.dead` on a listen removal: the API manual documents `yes`; captures from v7
   * routers show `true`. Clients should test for the property's presence, not its value.
   */
  readonly deadFlag: 'yes' | 'true';
  /**
   * The API has a `/safe-mode` menu (take, release, unroll, toggle): RouterOS's own command tree
   * (`/console/inspect`) lists it from 7.18 and not in 7.17.x or earlier. Without it a router
   * answers `/safe-mode/take` with "no such command prefix".
   */
  readonly safeMode: boolean;
}

export const VERSION_PROFILES: Readonly<Record<RouterOsVersion, VersionProfile>> = {
  '6.49': {
    id: '6.49',
    versionString: '6.49.18 (long-term)',
    emptyReply: false,
    isoDates: false,
    buildTime: Date.UTC(2025, 1, 24, 11, 7, 41),
    deadFlag: 'yes',
    safeMode: false,
  },
  '7.17': {
    id: '7.17',
    versionString: '7.17.2 (stable)',
    emptyReply: false,
    isoDates: true,
    buildTime: Date.UTC(2025, 1, 3, 8, 24, 1),
    deadFlag: 'true',
    safeMode: false,
  },
  '7.18': {
    id: '7.18',
    versionString: '7.18.2 (stable)',
    emptyReply: true,
    isoDates: true,
    buildTime: Date.UTC(2025, 2, 11, 10, 37, 5),
    deadFlag: 'true',
    safeMode: true,
  },
};

export function versionProfile(id: RouterOsVersion): VersionProfile {
  return VERSION_PROFILES[id];
}
