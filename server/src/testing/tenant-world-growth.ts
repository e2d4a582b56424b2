// More rows for a seeded tenant world — codes, a subscriber with an invoice and a payment, a
// NAS with an open session, an agent, a cash handover — so a test can check that nobody
// else's counts and sums move when this tenant's do.
import { randomBytes } from 'node:crypto';
import { radiusSessions } from '@kasi/db';
import { createAgent } from '../agents/agent.service.ts';
import { createInvoiceDraft, finaliseInvoice } from '../billing/invoice.service.ts';
import { recordPayment } from '../billing/payment.service.ts';
import { recordHandover } from '../cash/ledger.service.ts';
import { createNas } from '../nas/nas.service.ts';
import { createSubscriber } from '../subscribers/subscriber.service.ts';
import { createVoucherBatch } from '../vouchers/voucher.service.ts';
import type { TestApp } from './test-app.ts';
import type { TenantWorld } from './tenant-world.ts';

export async function growTenantWorld(t: TestApp, w: TenantWorld): Promise<void> {
  const { owner, ids } = w;
  const more = `${w.marker}-${randomBytes(3).toString('hex')}`;
  await createVoucherBatch(t.app, owner, { planId: ids.planId, name: more, quantity: 4 });
  const subscriber = await createSubscriber(t.app, owner, {
    username: `${more}-sub`,
    password: 'subscriber-pw-2',
    planId: ids.planId,
  });
  const draft = await createInvoiceDraft(t.app, owner, {
    subscriberId: subscriber.id,
    lines: [{ kind: 'other', description: more, unitPriceMinor: 9000n }],
  });
  await finaliseInvoice(t.app, owner, draft.id);
  await recordPayment(t.app, owner, {
    subscriberId: subscriber.id,
    amountMinor: 4000n,
    currency: 'KES',
    method: 'cash',
  });
  await recordHandover(t.app, owner, { agentId: ids.agentId, amountMinor: 700n, currency: 'KES' });
  await createAgent(t.app, owner, { email: `${more}@world.test`, name: more, password: 'agent password 3' });
  const { nas } = await createNas(t.app, owner, {
    name: more,
    address: `203.0.113.${251 + ((randomBytes(1)[0] ?? 0) % 4)}`,
  });
  const now = new Date();
  await t.app.db.insert(radiusSessions).values({
    tenantId: owner.tenantId,
    nasId: nas.id,
    sessionKey: `${more}|1`,
    acctSessionId: more,
    userName: `${more}-sub`,
    subscriberId: subscriber.id,
    startedAt: now,
    lastUpdateAt: now,
  });
}
