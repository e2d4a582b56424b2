// Test support: a phone enrolled, approved and stocked against the fake Kasi through the
// app's own code paths (enrolment, pull).
import { AgentDb, THIS_DEVICE } from './agent-db.ts';
import { enrolDevice } from './enrolment.ts';
import { FakeKasi, PROFILE } from './fake-kasi.testing.ts';
import { applyFeed } from './stock-feed.ts';

export { FakeKasi, PROFILE };

/** A phone enrolled with PIN 2468, approved and holding `codes` leased codes. */
export async function stockedPhone(kasi: FakeKasi, codes = 5, name = `agent-test-${crypto.randomUUID()}`) {
  const db = new AgentDb(name);
  const device = await enrolDevice(db, (input) => kasi.register(input), {
    label: 'Test phone',
    pin: '2468',
    agent: PROFILE,
  });
  const serverId = device.serverId ?? '';
  kasi.approve(serverId);
  const leased = kasi.lease(serverId, codes);
  await applyFeed(db, await kasi.pull(serverId));
  if ((await db.device.get(THIS_DEVICE))?.status !== 'approved') throw new Error('phone not approved');
  return { db, serverId, leased };
}
