// The Stock screen's link to Kasi over tRPC. Loaded on demand, so the tRPC client stays
// out of the agent app's first load; every failure becomes a StockError with a stable code.
import { isApiError } from '#lib/rpc/client.ts';
import { api } from '#lib/api.ts';
import { StockError, type StockTransport } from './stock-request.ts';

export const trpcStockTransport: StockTransport = {
  plans: () =>
    call(async () =>
      (await api.plan.list.query())
        .filter((p) => p.active)
        .map((p) => ({ id: p.id, name: p.name, priceMinor: p.priceMinor.toString(), currency: p.currency })),
    ),
  requestLease: (input) => call(async () => (await api.agent.requestLease.mutate(input)).codes.length),
};

async function call<T>(request: () => Promise<T>): Promise<T> {
  try {
    return await request();
  } catch (e) {
    throw toStockError(e);
  }
}

function toStockError(e: unknown): StockError {
  // No error shape: the request never reached Kasi (no signal, server down).
  if (!isApiError(e) || !e.data) return new StockError('network', 'No connection to Kasi');
  const domain = e.data.domain;
  if (!domain && e.data.code === 'UNAUTHORIZED') return new StockError('signed-out', e.message);
  return new StockError(domain?.code ?? e.data.code, e.message, domain?.details ?? {});
}
