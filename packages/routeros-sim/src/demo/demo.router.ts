// startDemoRouter: the router the product's run command starts so a new user sees a live
// network — a 7.18 profile, an admin API user, sessions whose counters and uptimes keep moving.
import type { RouterOsSim, RouterOsSimOptions } from '../api/api.server.ts';
import { startRouterOsSim } from '../api/api.server.ts';
import type { Row } from '../state/menu.schema.ts';
import type { RouterState } from '../state/router.state.ts';
import { formatDuration, parseDuration } from '../state/value.format.ts';
import { seedDemo } from './demo.seed.ts';

export interface DemoRouterOptions extends Pick<RouterOsSimOptions, 'host' | 'port' | 'tls' | 'identity'> {
  /** API user name; default 'admin'. */
  user?: string;
  /** API password; default 'admin'. */
  password?: string;
  /** How often counters move; default 1000 ms. */
  tickMs?: number;
}

export interface DemoRouter extends RouterOsSim {
  readonly credentials: { readonly user: string; readonly password: string };
}

export async function startDemoRouter(options: DemoRouterOptions = {}): Promise<DemoRouter> {
  const user = options.user ?? 'admin';
  const password = options.password ?? 'admin';
  const tickMs = options.tickMs ?? 1000;
  const sim = await startRouterOsSim({
    ...options,
    version: '7.18',
    identity: options.identity ?? 'kasi-demo',
    users: [{ name: user, password, group: 'full' }],
  });
  seedDemo(sim);
  const advance = counterAdvancer(sim.state);
  const timer = setInterval(() => advance(tickMs / 1000), tickMs);
  timer.unref();
  return {
    ...sim,
    credentials: { user, password },
    close: async () => {
      clearInterval(timer);
      await sim.close();
    },
  };
}

const silent = { silent: true };

/**
 * Returns a function that grows traffic and uptimes the way a busy network would. Uptimes are
 * kept as fractional seconds here because the API form only shows whole seconds. Listen is not
 * notified (RouterOS does not report counter changes through listen either).
 */
export function counterAdvancer(state: RouterState): (seconds: number) => void {
  const uptimes = new Map<string, number>();
  const uptime = (row: Row, seconds: number): string => {
    const id = row['.id'] ?? '';
    const next = (uptimes.get(id) ?? parseDuration(row.uptime ?? '0s')) + seconds;
    uptimes.set(id, next);
    return formatDuration(next);
  };
  return (seconds) => {
    for (const row of state.rows('/ip/hotspot/active')) {
      const down = Math.round(seconds * rate(40_000, 400_000));
      const up = Math.round(seconds * rate(4_000, 40_000));
      state.update(
        '/ip/hotspot/active',
        row['.id'] ?? '',
        { ...traffic(row, up, down), uptime: uptime(row, seconds) },
        silent,
      );
    }
    for (const row of state.rows('/ppp/active')) {
      state.update('/ppp/active', row['.id'] ?? '', { uptime: uptime(row, seconds) }, silent);
    }
    for (const row of state.rows('/interface')) {
      if (row.running !== 'true') continue;
      const rx = Math.round(seconds * rate(10_000, 500_000));
      const tx = Math.round(seconds * rate(50_000, 2_000_000));
      state.update('/interface', row['.id'] ?? '', interfaceCounters(row, rx, tx), silent);
    }
    state.setSingleton('/system/resource', { 'cpu-load': String(Math.round(rate(2, 30))) }, silent);
  };
}

function rate(min: number, max: number): number {
  return min + Math.random() * (max - min);
}

function add(value: string | undefined, delta: number): string {
  return String(Number(value ?? '0') + delta);
}

function traffic(row: Row, up: number, down: number): Row {
  return {
    'bytes-in': add(row['bytes-in'], up),
    'bytes-out': add(row['bytes-out'], down),
    'packets-in': add(row['packets-in'], Math.ceil(up / 600)),
    'packets-out': add(row['packets-out'], Math.ceil(down / 1200)),
  };
}

function interfaceCounters(row: Row, rx: number, tx: number): Row {
  return {
    'rx-byte': add(row['rx-byte'], rx),
    'tx-byte': add(row['tx-byte'], tx),
    'rx-packet': add(row['rx-packet'], Math.ceil(rx / 800)),
    'tx-packet': add(row['tx-packet'], Math.ceil(tx / 1200)),
  };
}
