import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { AgentDb, patchSyncState, readSyncState, THIS_DEVICE } from './agent-db.ts';
import { FakeKasi, PROFILE, stockedPhone } from './agent.testing.ts';
import { enrolDevice } from './enrolment.ts';
import { checkApproval, firstStep, stepAfterLogin } from './setup-flow.ts';

describe('setting up the phone', () => {
  it('logs in and enrols a new phone, then waits until Kasi approves it', async () => {
    const db = new AgentDb(`setup-${crypto.randomUUID()}`);
    const kasi = new FakeKasi();
    expect(firstStep(undefined)).toBe('login');
    expect(await stepAfterLogin(db, PROFILE)).toBe('enrol');
    const device = await enrolDevice(db, (i) => kasi.register(i), {
      label: 'Till',
      pin: '2468',
      agent: PROFILE,
    });
    expect(firstStep(await db.device.get(THIS_DEVICE))).toBe('waiting');
    const pull = (id: string) => kasi.pull(id);
    expect(await checkApproval(db, pull)).toBe('waiting');
    kasi.approve(device.serverId ?? '');
    kasi.lease(device.serverId ?? '', 2);
    expect(await checkApproval(db, pull)).toBe('done');
    expect(await db.stock.count()).toBe(2);
  });

  it('takes a returning agent straight back, with syncing unblocked and the profile refreshed', async () => {
    const { db } = await stockedPhone(new FakeKasi(), 1);
    await patchSyncState(db, { blocked: 'signed-out', retryAt: Date.now() + 60_000 });
    expect(await stepAfterLogin(db, { ...PROFILE, commissionBps: 700 })).toBe('done');
    expect(await readSyncState(db)).toMatchObject({ blocked: null, retryAt: 0 });
    expect((await db.device.get(THIS_DEVICE))?.agent.commissionBps).toBe(700);
  });

  it('tells a withdrawn phone so', async () => {
    const { db } = await stockedPhone(new FakeKasi(), 1);
    await db.device.update(THIS_DEVICE, { status: 'revoked' });
    expect(firstStep(await db.device.get(THIS_DEVICE))).toBe('withdrawn');
    expect(await stepAfterLogin(db, PROFILE)).toBe('withdrawn');
  });
});
