// Enrolling this phone: a key pair is made and saved first (so a lost answer never costs
// the key), then its public half is registered with Kasi under the logged-in agent, and
// the phone waits for an operator to approve it.
import {
  THIS_DEVICE,
  type AgentDb,
  type AgentProfile,
  type DeviceRecord,
  type DeviceStatus,
} from './agent-db.ts';
import { createDeviceKey, publicKeyInput } from './device-key.ts';
import { askPersistentStorage } from './persistent-storage.ts';
import { hashPin } from './pin.ts';

export interface RegisterDevice {
  (input: { label: string; publicKey: ReturnType<typeof publicKeyInput> }): Promise<{
    id: string;
    status: DeviceStatus;
  }>;
}

/** Thrown by `register` when the key is already enrolled (a retry whose first answer was lost). */
export class KeyTakenError extends Error {}

export async function enrolDevice(
  db: AgentDb,
  register: RegisterDevice,
  input: { label: string; pin: string; agent: AgentProfile },
): Promise<DeviceRecord> {
  const existing = await db.device.get(THIS_DEVICE);
  if (existing && existing.status !== 'new') throw new Error('This phone is already enrolled');
  let record: DeviceRecord = {
    id: THIS_DEVICE,
    ...(existing?.status === 'new' ? existing : await createDeviceKey()),
    label: input.label,
    serverId: null,
    status: 'new',
    nextSeq: 1,
    // A plain copy: IndexedDB cannot store a reactive proxy the UI may have passed in.
    agent: { ...input.agent },
    pin: await hashPin(input.pin),
    pinFailures: 0,
    pinLockedUntil: 0,
  };
  await db.device.put(record);
  for (let attempt = 0; ; attempt++) {
    try {
      const row = await register({ label: record.label, publicKey: publicKeyInput(record.publicJwk) });
      record = { ...record, serverId: row.id, status: row.status };
      await db.device.put(record);
      break;
    } catch (e) {
      // The agent's own devices do not show key fingerprints, so the lost enrolment cannot
      // be found again: enrol a fresh key; the orphan waits as "pending" for the operator.
      if (!(e instanceof KeyTakenError) || attempt > 0) throw e;
      record = { ...record, ...(await createDeviceKey()) };
      await db.device.put(record);
    }
  }
  // Without this the browser may clear the database (and unsynced sales) under storage pressure.
  await askPersistentStorage();
  return record;
}
