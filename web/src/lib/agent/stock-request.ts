// Asking Kasi for more codes from the phone: the plans on offer, the request, and what to
// tell the agent when Kasi says no (over the credit limit, not enough free codes, no
// signal). Online only; the codes themselves arrive with the next pull, started at once.
import { THIS_DEVICE, type AgentDb } from './agent-db.ts';
import { formatMinor } from './money.ts';

export interface StockPlan {
  id: string;
  name: string;
  priceMinor: string;
  currency: string;
}

export interface StockTransport {
  plans(): Promise<StockPlan[]>;
  /** Leases `count` codes of the plan to this phone; resolves to how many were leased. */
  requestLease(input: { deviceId: string; planId: string; count: number }): Promise<number>;
}

/** Why Kasi said no: its stable domain code ('network' when it was never reached). */
export class StockError extends Error {
  readonly code: string;
  readonly details: Record<string, unknown>;
  constructor(code: string, message: string, details: Record<string, unknown> = {}) {
    super(message);
    this.name = 'StockError';
    this.code = code;
    this.details = details;
  }
}

export type StockOutcome = { granted: number } | { refused: string };

export const NO_SIGNAL =
  'No connection to Kasi. Stock can only be asked for online; the codes already on this phone still sell.';

export async function requestStock(
  deps: { db: AgentDb; transport: StockTransport; sync: () => Promise<void> },
  plan: StockPlan,
  count: number,
): Promise<StockOutcome> {
  const device = await deps.db.device.get(THIS_DEVICE);
  if (!device?.serverId || device.status !== 'approved') {
    return { refused: 'This phone may not take stock now. Tell your operator.' };
  }
  if (!Number.isInteger(count) || count < 1) return { refused: 'Ask for at least one code.' };
  try {
    const granted = await deps.transport.requestLease({ deviceId: device.serverId, planId: plan.id, count });
    // The pull brings the codes; a failed pull is retried by the scheduler, the lease stands.
    await deps.sync().catch(() => undefined);
    return { granted };
  } catch (e) {
    return { refused: describeRefusal(e, plan) };
  }
}

/** The agent-facing reason, with what to do next; never a stack trace. */
export function describeRefusal(e: unknown, plan: StockPlan): string {
  if (!(e instanceof StockError)) return 'Something went wrong asking for stock. Try again.';
  const price = BigInt(plan.priceMinor);
  switch (e.code) {
    case 'network':
      return NO_SIGNAL;
    case 'signed-out':
      return 'Log in again to ask for stock (Sync screen).';
    case 'LEASE.LIMIT_EXCEEDED': {
      const headroom = toBigInt(e.details['headroomMinor']);
      const fits = headroom !== null && price > 0n ? headroom / price : 0n;
      if (fits <= 0n) {
        return 'That is over your limit: you hold as much stock and unpaid cash as your operator allows. Hand over cash first.';
      }
      const room = formatMinor(headroom ?? 0n, plan.currency);
      return `That is over your limit. You can take ${fits} more code${fits === 1n ? '' : 's'} of ${plan.name} (${room} left).`;
    }
    case 'LEASE.NOT_ENOUGH_CODES': {
      const available = Number(e.details['available'] ?? 0);
      return `Kasi has only ${available} free code${available === 1 ? '' : 's'} of ${plan.name}. Ask for fewer, or ask your operator to make more.`;
    }
    case 'DEVICE.NOT_APPROVED':
      return 'This phone may not take stock now. Tell your operator.';
    case 'AGENT.SUSPENDED':
      return 'Your account is suspended. Talk to your operator.';
    case 'PLAN.INACTIVE':
    case 'PLAN.NOT_FOUND':
      return `${plan.name} is no longer on sale. Choose another voucher.`;
    default:
      return e.message || 'Kasi could not give stock now. Try again.';
  }
}

function toBigInt(value: unknown): bigint | null {
  if (typeof value === 'bigint') return value;
  if (typeof value === 'number' || (typeof value === 'string' && /^-?\d+$/.test(value))) return BigInt(value);
  return null;
}
