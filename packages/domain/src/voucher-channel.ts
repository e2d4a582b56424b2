// The one channel a voucher code reaches a customer through. A code is in exactly one:
// stock (nobody has it yet), printed (on a card of a named print run), leased (on one agent's
// phone), online (sold through a pay link) or held (kept back by the operator for tests and
// demos). Printing and leasing draw only from stock, so no code reaches two customers.
// Void, lock, expiry and use are states on top of the channel, never a change of it.
export const VOUCHER_CHANNELS = ['stock', 'printed', 'leased', 'online', 'held'] as const;
export type VoucherChannel = (typeof VOUCHER_CHANNELS)[number];

/** How far a device clock may run ahead of RADIUS before a sale counts as after first use. */
export const SALE_CLOCK_TOLERANCE_MS = 5 * 60_000;

/**
 * An agent's sale of a code a customer had already logged in with before the sale: the code was
 * in someone else's hands, so the sale is refused (sync records the conflict). A login after
 * the sale is the buyer using what they bought, even if the phone synced later.
 */
export function usedBeforeSale(firstUsedAt: Date | null, soldAt: Date): boolean {
  return firstUsedAt !== null && firstUsedAt.getTime() < soldAt.getTime() - SALE_CLOCK_TOLERANCE_MS;
}
