// Generated from the router: tenant B's owner calls every tRPC procedure with tenant A's ids
// (A has one of everything). Nothing of A's may come back — no id, name, code or secret in an
// answer or an error — and none of A's rows may change. A's ids must also be answered exactly
// as ids that exist nowhere are, so B cannot even learn that they exist.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAgent } from '../agents/agent.service.ts';
import { callAs, listProcedures, signIn, type CallOutcome } from '../testing/api-caller.ts';
import { createTestApp, type TestApp } from '../testing/test-app.ts';
import { changedTables, fingerprints, snapshotTenant } from '../testing/tenant-snapshot.ts';
import { newTenantWorld, WORLD_SECRETS, type TenantWorld } from '../testing/tenant-world.ts';
import { madeUpIds, PROCEDURE_INPUTS, SESSION_ENDING } from './procedure-inputs.testing.ts';

/**
 * Known holes in areas others are fixing, as the test reports them. Temporary: the test fails
 * when one of these no longer happens, so a fixed gap must be deleted from here.
 */
const KNOWN_GAPS: readonly string[] = [];

/**
 * Where the answer to A's id must differ from a made-up one, and how it must read instead.
 * NAS addresses are unique across tenants (radiusd tells tenants apart by a packet's source
 * address), so B cannot take A's; it is refused exactly as an address that can never be a
 * router is, naming no holder.
 */
const INHERENTLY_VISIBLE: Readonly<Record<string, string>> = {
  'nas.create': 'CONFLICT NAS.ADDRESS_UNAVAILABLE',
};

let t: TestApp;
let a: TenantWorld;
interface Caller {
  email: string;
  password: string;
  token: string;
}
/** B's owner holds every permission; B's agent reaches the agent-only paths (sync, own leases). */
const b = {} as Record<'owner' | 'agent', Caller>;

async function caller(email: string, password: string): Promise<Caller> {
  return { email, password, token: await signIn(t.app, email, password) };
}

beforeAll(async () => {
  t = await createTestApp();
  a = await newTenantWorld(t, '127.0.0.71');
  const { actor, ownerEmail, ownerPassword } = await t.newTenant();
  b.owner = await caller(ownerEmail, ownerPassword);
  const agent = { email: `agent-${actor.tenantId}@b.test`, password: 'agent password 1' };
  await createAgent(t.app, actor, { name: 'B agent', ...agent });
  b.agent = await caller(agent.email, agent.password);
});
afterAll(async () => {
  await a?.sim.close();
  await t.close();
});

const procedures = listProcedures();

const json = (v: unknown) =>
  JSON.stringify(v, (_k, x: unknown) => (typeof x === 'bigint' ? `${x}n` : x)) ?? '';

/** The answer without the request id, so two answers to the same question compare equal. */
const shape = (out: CallOutcome) => (out.ok ? 'a result' : `${out.code} ${out.domainCode ?? ''}`.trim());

async function callAsB(who: Caller, path: string, input: unknown): Promise<CallOutcome> {
  const token = SESSION_ENDING.has(path) ? await signIn(t.app, who.email, who.password) : who.token;
  return callAs(t.app, token, path, input);
}

describe("tenant B and tenant A's data", () => {
  it('has an input for every procedure, so each one is aimed at tenant A', () => {
    const uncovered = procedures
      .filter((p) => !Object.hasOwn(PROCEDURE_INPUTS, p.path))
      .map(
        (p) => `no input in server/src/trpc/procedure-inputs.testing.ts — add: '${p.path}': (w) => ({ … }),`,
      );
    expect(uncovered).toEqual([]);
  });

  it("lets tenant B neither read, change nor detect anything of tenant A's", async () => {
    let before = await snapshotTenant(t.app.db, a.owner.tenantId);
    const vouchers = (before.vouchers ?? []).map((r) => (JSON.parse(r) as { code: string }).code);
    const marks = fingerprints(before, [
      a.marker,
      a.ids.nasAddress,
      ...vouchers,
      ...Object.values(WORLD_SECRETS),
    ]);
    const found: string[] = [];
    for (const [role, who] of Object.entries(b)) {
      for (const { path } of procedures) {
        const input = PROCEDURE_INPUTS[path];
        if (!input) continue; // reported by the coverage test above
        const aimed = input(a.ids);
        const targetsA = [...marks].some((m) => json(aimed).includes(m));
        const control = targetsA ? await callAsB(who, path, input(madeUpIds())) : null;
        const out = await callAsB(who, path, aimed);
        const as = `${path} (B's ${role})`;

        // What B typed itself may come back (an address in an error message); nothing else may.
        const answer = json(out.ok ? out.data : out.message);
        const leaked = [...marks].filter((m) => answer.includes(m) && !json(aimed).includes(m));
        if (leaked.length)
          found.push(`${as} answered with tenant A's data (${leaked.slice(0, 3).join(', ')})`);
        const visible = INHERENTLY_VISIBLE[path];
        if (visible && role === 'owner' && shape(out) !== visible) {
          found.push(`${as} answered ${shape(out)}, not ${visible}`);
        }
        if (control && !visible && shape(control) !== shape(out)) {
          found.push(`${as} tells tenant A's ids from made-up ones (${shape(out)} vs ${shape(control)})`);
        }
        const after = await snapshotTenant(t.app.db, a.owner.tenantId);
        const changed = changedTables(before, after);
        if (changed.length) found.push(`${as} changed tenant A's rows: ${changed.join(', ')}`);
        before = after;
      }
    }
    const fresh = found.filter((f) => !KNOWN_GAPS.includes(f));
    const fixed = KNOWN_GAPS.filter((g) => !found.includes(g));
    expect({ unexpected: fresh, fixedSoRemoveFromKnownGaps: fixed }).toEqual({
      unexpected: [],
      fixedSoRemoveFromKnownGaps: [],
    });
  });
});
