// Which open invoices a payment or credit settles: oldest first, never more than an
// invoice's due amount; what is left stays as credit on the account.

export interface OpenItem {
  id: string;
  dueMinor: bigint;
}

export interface Allocation {
  invoiceId: string;
  amountMinor: bigint;
}

/** `items` must already be oldest first (the caller's query orders them). */
export function allocateOldestFirst(
  amountMinor: bigint,
  items: readonly OpenItem[],
): { allocations: Allocation[]; leftoverMinor: bigint } {
  const allocations: Allocation[] = [];
  let left = amountMinor;
  for (const item of items) {
    if (left <= 0n) break;
    if (item.dueMinor <= 0n) continue;
    const take = item.dueMinor < left ? item.dueMinor : left;
    allocations.push({ invoiceId: item.id, amountMinor: take });
    left -= take;
  }
  return { allocations, leftoverMinor: left };
}
