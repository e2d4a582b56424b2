import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { AgentDb, THIS_DEVICE } from './agent-db.ts';
import { enrolDevice, KeyTakenError, type RegisterDevice } from './enrolment.ts';
import { FakeKasi, PROFILE } from './fake-kasi.testing.ts';

const newDb = () => new AgentDb(`enrol-${crypto.randomUUID()}`);

describe('enrolling this phone', () => {
  it('keeps a non-extractable key, a PIN hash and seq 1, and waits for approval', async () => {
    const db = newDb();
    const kasi = new FakeKasi();
    const device = await enrolDevice(db, (input) => kasi.register(input), {
      label: 'Till 1',
      pin: '2468',
      agent: PROFILE,
    });
    const stored = await db.device.get(THIS_DEVICE);
    expect(stored).toMatchObject({
      serverId: device.serverId,
      status: 'pending',
      nextSeq: 1,
      label: 'Till 1',
    });
    expect(stored?.keyPair.privateKey.extractable).toBe(false);
    expect(JSON.stringify(stored?.pin)).not.toContain('2468');
    await expect(crypto.subtle.exportKey('jwk', stored?.keyPair.privateKey as CryptoKey)).rejects.toThrow();
  });

  it('saves the key before asking Kasi, and reuses it when the first try failed', async () => {
    const db = newDb();
    const kasi = new FakeKasi();
    const offline: RegisterDevice = () => Promise.reject(new Error('offline'));
    await expect(enrolDevice(db, offline, { label: 'Till', pin: '2468', agent: PROFILE })).rejects.toThrow(
      'offline',
    );
    const first = await db.device.get(THIS_DEVICE);
    expect(first?.status).toBe('new');
    const seen: JsonWebKey[] = [];
    await enrolDevice(db, (input) => (seen.push(input.publicKey), kasi.register(input)), {
      label: 'Till',
      pin: '2468',
      agent: PROFILE,
    });
    expect(seen[0]?.x).toBe(first?.publicJwk.x);
  });

  it('makes a fresh key when Kasi already holds the old one (the first answer was lost)', async () => {
    const db = newDb();
    const kasi = new FakeKasi();
    const keys: (string | undefined)[] = [];
    const register: RegisterDevice = async (input) => {
      keys.push(input.publicKey.x);
      if (keys.length === 1) throw new KeyTakenError();
      return kasi.register(input);
    };
    const device = await enrolDevice(db, register, { label: 'Till', pin: '2468', agent: PROFILE });
    expect(keys).toHaveLength(2);
    expect(keys[0]).not.toBe(keys[1]);
    expect(device.publicJwk.x).toBe(keys[1]);
  });

  it('refuses to enrol a phone twice', async () => {
    const db = newDb();
    const kasi = new FakeKasi();
    const input = { label: 'Till', pin: '2468', agent: PROFILE };
    await enrolDevice(db, (i) => kasi.register(i), input);
    await expect(enrolDevice(db, (i) => kasi.register(i), input)).rejects.toThrow('already enrolled');
  });
});
