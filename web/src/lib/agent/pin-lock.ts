// Checking and replacing the PIN against the stored hash, with wrong guesses counted in
// the database so that reloading the page does not reset the count.
import { THIS_DEVICE, type AgentDb } from './agent-db.ts';
import { hashPin, pinLockoutMs, verifyPin } from './pin.ts';

export type PinCheck = { ok: true } | { ok: false; waitMs: number };

export async function checkPin(db: AgentDb, pin: string, now = Date.now()): Promise<PinCheck> {
  const device = await db.device.get(THIS_DEVICE);
  if (!device) return { ok: false, waitMs: 0 };
  if (device.pinLockedUntil > now) return { ok: false, waitMs: device.pinLockedUntil - now };
  if (await verifyPin(pin, device.pin)) {
    await db.device.update(THIS_DEVICE, { pinFailures: 0, pinLockedUntil: 0 });
    return { ok: true };
  }
  const failures = device.pinFailures + 1;
  const waitMs = pinLockoutMs(failures);
  await db.device.update(THIS_DEVICE, { pinFailures: failures, pinLockedUntil: waitMs ? now + waitMs : 0 });
  return { ok: false, waitMs };
}

/** A new PIN, after the agent proved who they are by logging in online. */
export async function replacePin(db: AgentDb, pin: string): Promise<void> {
  await db.device.update(THIS_DEVICE, { pin: await hashPin(pin), pinFailures: 0, pinLockedUntil: 0 });
}
