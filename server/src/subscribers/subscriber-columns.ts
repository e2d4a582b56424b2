// What leaves the subscriber services: every column but the encrypted password, and the
// audit view of a subscriber (no name, phone, MAC or address: the chain cannot be edited,
// so personal data there would outlive an erasure request).
import { and, eq, getTableColumns } from 'drizzle-orm';
import { subscribers, type Executor } from '@kasi/db';
import { notFound } from '@kasi/domain';
import type { Actor } from '../app-context.ts';

const { passwordEnc: _hidden, ...columns } = getTableColumns(subscribers);
export const publicColumns = columns;
export type SubscriberRow = Omit<typeof subscribers.$inferSelect, 'passwordEnc'>;

export function auditView(s: {
  id: string;
  planId: string;
  status: string;
  statusReason: string | null;
  service: string;
}) {
  return { id: s.id, planId: s.planId, status: s.status, statusReason: s.statusReason, service: s.service };
}

export const byId = (actor: Actor, id: string) =>
  and(eq(subscribers.tenantId, actor.tenantId), eq(subscribers.id, id));

/** The row, locked for the rest of the transaction; another tenant's id is "not found". */
export async function lockSubscriber(tx: Executor, actor: Actor, id: string): Promise<SubscriberRow> {
  const [row] = await tx.select(publicColumns).from(subscribers).where(byId(actor, id)).for('update');
  if (!row) throw notFound('SUBSCRIBER.NOT_FOUND', 'No such subscriber');
  return row;
}
