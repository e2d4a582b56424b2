// Generated from the router: every tRPC procedure, called by every role through the real
// context and caller, must answer as the one permission table (@kasi/domain procedure-access)
// says — FORBIDDEN to a role without the permission, anything but FORBIDDEN to a role with it.
// A procedure without a decision fails here, so no new procedure ships undecided.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  mayCall,
  mutationsOpenToViewers,
  PROCEDURE_ACCESS,
  procedureRule,
  ROLES,
  type Role,
} from '@kasi/domain';
import { createAgent } from '../agents/agent.service.ts';
import { addMember } from '../tenants/tenant.service.ts';
import { callAs, listProcedures, signIn, type CallOutcome } from '../testing/api-caller.ts';
import { createTestApp, type TestApp } from '../testing/test-app.ts';
import { madeUpIds, PROCEDURE_INPUTS, SESSION_ENDING } from './procedure-inputs.testing.ts';

// A sweep over every procedure (and role): minutes on a loaded CI machine, growing with the API.
const SWEEP_TIMEOUT_MS = 300_000;

/**
 * Known holes in areas others are fixing, as the test reports them. Temporary: the test fails
 * when one of these no longer happens, so a fixed gap must be deleted from here.
 */
const KNOWN_GAPS: readonly string[] = [];

/** The refusal of requirePermission (and of the procedure guard). */
const PERMISSION_REFUSAL = 'AUTH.FORBIDDEN';

/** The refusal for a signed-in user who is not an agent calling an agent's own procedure. */
const ACCOUNT_RULE = 'AGENT.NOT_AN_AGENT';

let t: TestApp;
const tokens = {} as Record<Role, string>;
const users = {} as Record<Role, { email: string; password: string }>;

beforeAll(async () => {
  t = await createTestApp();
  const { actor: owner, ownerEmail, ownerPassword } = await t.newTenant();
  users.owner = { email: ownerEmail, password: ownerPassword };
  for (const role of ['admin', 'operator', 'viewer'] as const) {
    users[role] = { email: `${role}-${owner.tenantId}@roles.test`, password: `${role} password 1` };
    await addMember(t.app.db, { tenantId: owner.tenantId, name: role, role, ...users[role] });
  }
  users.agent = { email: `agent-${owner.tenantId}@roles.test`, password: 'agent password 1' };
  await createAgent(t.app, owner, { name: 'Agent', ...users.agent });
  for (const role of ROLES) tokens[role] = await signIn(t.app, users[role].email, users[role].password);
});
afterAll(() => t.close());

const procedures = listProcedures();

function tableLine(path: string, kind: string) {
  return `  '${path}': ${kind}('<permission>|self|public'),`;
}

describe('the procedure access table', () => {
  it('has a decision and a test input for every procedure, and nothing for procedures that are gone', () => {
    const paths = new Set(procedures.map((p) => p.path));
    const problems = [
      ...procedures
        .filter((p) => !procedureRule(p.path))
        .map(
          (p) => `no entry in packages/domain/src/procedure-access.ts — add: ${tableLine(p.path, p.kind)}`,
        ),
      ...procedures
        .filter((p) => procedureRule(p.path) && procedureRule(p.path)?.kind !== p.kind)
        .map((p) => `${p.path} is a ${p.kind} but procedure-access.ts says ${procedureRule(p.path)?.kind}`),
      ...procedures
        .filter((p) => !Object.hasOwn(PROCEDURE_INPUTS, p.path))
        .map(
          (p) =>
            `no input in server/src/trpc/procedure-inputs.testing.ts — add: '${p.path}': (w) => ({ … }),`,
        ),
      ...Object.keys(PROCEDURE_ACCESS)
        .filter((path) => !paths.has(path))
        .map((path) => `procedure-access.ts names ${path}, which the router no longer has: remove it`),
      ...Object.keys(PROCEDURE_INPUTS)
        .filter((path) => !paths.has(path))
        .map(
          (path) => `procedure-inputs.testing.ts names ${path}, which the router no longer has: remove it`,
        ),
    ];
    expect(problems).toEqual([]);
  });

  it('gives viewers no mutation but their own sign-out', () => {
    expect(mutationsOpenToViewers()).toEqual([]);
    const open = procedures.filter((p) => p.kind === 'mutation' && mayCall('viewer', p.path));
    const ownOnly = open.filter((p) => ['self', 'public'].includes(procedureRule(p.path)?.access ?? ''));
    expect(open).toEqual(ownOnly);
  });
});

/**
 * What is wrong with one call, as one line; null when it answered as the table says. A role
 * holding the permission may still be refused by a rule about the account rather than the
 * role (AGENT.NOT_AN_AGENT: an owner holds sale.sync but is not an agent with devices); only
 * the permission check's own refusal (AUTH.FORBIDDEN) contradicts the table.
 */
function mismatch(role: Role, path: string, out: CallOutcome): string | null {
  const got = out.ok ? 'a result' : out.code;
  const access = procedureRule(path)?.access ?? 'no decision';
  if (!mayCall(role, path)) {
    // The permission check's own refusal, not an incidental one (a missing agent row).
    if (!out.ok && out.domainCode === PERMISSION_REFUSAL) return null;
    const detail = out.ok ? got : `${got} ${out.domainCode ?? ''}`.trim();
    return `${role} may call ${path} (got ${detail}; needs ${access})`;
  }
  if (out.ok) return null;
  // Input parsing failed before any rule ran: the fixture no longer fits the procedure.
  if (out.code === 'BAD_REQUEST' && out.domainCode === null) {
    return `the input for ${path} fails its schema: fix procedure-inputs.testing.ts (${out.message})`;
  }
  if (out.code === 'FORBIDDEN' && out.domainCode !== ACCOUNT_RULE) {
    return `${role} is refused ${path} (${out.domainCode ?? out.code}) although it holds ${access}`;
  }
  if (out.code === 'INTERNAL_SERVER_ERROR') return `${role} gets INTERNAL_SERVER_ERROR from ${path}`;
  return null;
}

describe('every procedure, every role', () => {
  it(
    'answers FORBIDDEN to exactly the roles without the permission',
    { timeout: SWEEP_TIMEOUT_MS },
    async () => {
      const ids = madeUpIds();
      const found: string[] = [];
      for (const { path } of procedures) {
        const input = PROCEDURE_INPUTS[path];
        if (!procedureRule(path) || !input) continue; // reported by the coverage test above
        for (const role of ROLES) {
          const token = SESSION_ENDING.has(path)
            ? await signIn(t.app, users[role].email, users[role].password)
            : tokens[role];
          const line = mismatch(role, path, await callAs(t.app, token, path, input(ids)));
          if (line) found.push(line);
        }
      }
      const fresh = found.filter((f) => !KNOWN_GAPS.includes(f));
      const fixed = KNOWN_GAPS.filter((g) => !found.includes(g));
      expect({ unexpected: fresh, fixedSoRemoveFromKnownGaps: fixed }).toEqual({
        unexpected: [],
        fixedSoRemoveFromKnownGaps: [],
      });
    },
  );

  it(
    'answers UNAUTHORIZED to callers without a session on every permission-guarded procedure',
    { timeout: SWEEP_TIMEOUT_MS },
    async () => {
      const ids = madeUpIds();
      const answers: string[] = [];
      for (const { path } of procedures) {
        const rule = procedureRule(path);
        const input = PROCEDURE_INPUTS[path];
        if (!rule || !input || rule.access === 'public' || rule.access === 'self') continue;
        const out = await callAs(t.app, null, path, input(ids));
        if (out.ok || out.code !== 'UNAUTHORIZED') answers.push(`${path}: ${out.ok ? 'a result' : out.code}`);
      }
      expect(answers).toEqual([]);
    },
  );
});
