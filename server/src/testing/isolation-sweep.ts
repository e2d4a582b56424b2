// The isolation sweep behind the generated cross-tenant and cross-agent tests: someone who
// must not see a victim's data calls every tRPC procedure with the victim's ids, and each
// answer is judged three ways — it carries none of the victim's marks (ids, codes, names,
// secrets), it reads exactly as the answer to made-up ids (no existence oracle), and none of
// the victim's rows changed. Returns one line per finding.
import type { AppContext } from '../app-context.ts';
import {
  madeUpIds,
  PROCEDURE_INPUTS,
  SESSION_ENDING,
  type WorldIds,
} from '../trpc/procedure-inputs.testing.ts';
import { callAs, listProcedures, signIn, type CallOutcome } from './api-caller.ts';
import { rowChanges, snapshotTenant, type TenantSnapshot } from './tenant-snapshot.ts';

/**
 * Answers that may differ for the victim's values, by design, and how they must read then.
 * NAS addresses are unique across tenants (radiusd tells tenants apart by a packet's source
 * address), so nobody can take another's; it is refused exactly as an address that can never
 * be a router is, naming no holder. A device key is enrolled once anywhere; refusing it tells
 * only that a key the caller would have to hold already is in use.
 */
export const VISIBLE_BY_DESIGN: Readonly<Record<string, string>> = {
  'nas.create': 'CONFLICT NAS.ADDRESS_UNAVAILABLE',
  'agent.registerDevice': 'CONFLICT DEVICE.KEY_TAKEN',
};

export interface SweepCaller {
  /** How findings name the caller ("B's owner"). */
  label: string;
  email: string;
  password: string;
  token: string;
}

export async function sweepCaller(app: AppContext, label: string, email: string, password: string) {
  return { label, email, password, token: await signIn(app, email, password) };
}

export interface SweepOptions {
  app: AppContext;
  /** The tenant whose rows are watched. */
  tenantId: string;
  victimIds: WorldIds;
  /** Strings no answer to the callers may contain, unless the caller typed them. */
  marks: ReadonlySet<string>;
  callers: SweepCaller[];
  /** Procedures whose answer to the victim's id may differ from a made-up one, and how it must read then. */
  inherentlyVisible?: Readonly<Record<string, string>>;
  /**
   * May a call leave these row changes in the watched tenant? Default: no change at all. The
   * cross-agent sweep lets an agent add rows of its own (audit, its own device) that carry no mark.
   */
  allowChange?: (change: { table: string; added: string[]; removed: string[] }) => boolean;
}

export const json = (v: unknown) =>
  JSON.stringify(v, (_k, x: unknown) => (typeof x === 'bigint' ? `${x}n` : x)) ?? '';

/** The answer without request ids or messages, so two answers to the same question compare equal. */
const shape = (out: CallOutcome) => (out.ok ? 'a result' : `${out.code} ${out.domainCode ?? ''}`.trim());

async function call(app: AppContext, who: SweepCaller, path: string, input: unknown) {
  const token = SESSION_ENDING.has(path) ? await signIn(app, who.email, who.password) : who.token;
  return callAs(app, token, path, input);
}

/** Procedures of the router without an input in procedure-inputs.testing.ts, as messages. */
export function uncoveredProcedures(): string[] {
  return listProcedures()
    .filter((p) => !Object.hasOwn(PROCEDURE_INPUTS, p.path))
    .map(
      (p) => `no input in server/src/trpc/procedure-inputs.testing.ts — add: '${p.path}': (w) => ({ … }),`,
    );
}

export async function isolationSweep(o: SweepOptions): Promise<string[]> {
  const found: string[] = [];
  const marks = [...o.marks];
  const allow = o.allowChange ?? (() => false);
  let before: TenantSnapshot = await snapshotTenant(o.app.db, o.tenantId);
  for (const who of o.callers) {
    for (const { path } of listProcedures()) {
      const input = PROCEDURE_INPUTS[path];
      if (!input) continue; // reported by uncoveredProcedures()
      const aimed = input(o.victimIds);
      const typed = json(aimed);
      const control = marks.some((m) => typed.includes(m))
        ? await call(o.app, who, path, input(madeUpIds()))
        : null;
      const out = await call(o.app, who, path, aimed);
      const as = `${path} (${who.label})`;

      // What the caller typed may come back (an address in an error message); nothing else may.
      const answer = json(out.ok ? out.data : out.message);
      const leaked = marks.filter((m) => answer.includes(m) && !typed.includes(m));
      if (leaked.length)
        found.push(`${as} answered with the victim's data (${leaked.slice(0, 3).join(', ')})`);
      const allowedDifference = o.inherentlyVisible?.[path];
      if (control && shape(control) !== shape(out) && shape(out) !== allowedDifference) {
        found.push(`${as} tells the victim's ids from made-up ones (${shape(out)} vs ${shape(control)})`);
      }
      const after = await snapshotTenant(o.app.db, o.tenantId);
      const changes = rowChanges(before, after).filter((c) => !allow(c));
      if (changes.length) {
        const what = changes.map((c) => `${c.table} (+${c.added.length} −${c.removed.length})`);
        found.push(`${as} changed the victim's rows: ${what.join(', ')}`);
      }
      before = after;
    }
  }
  return found;
}

/** An answer with its instants blanked: two reads a moment apart compare equal. */
const timeless = (out: CallOutcome) =>
  json(out.ok ? out.data : shape(out)).replace(/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z/g, '<instant>');

/**
 * Catches what marks cannot: a count or a sum over every tenant. Each query the callers can
 * make without naming the victim's rows is asked before and after `grow` adds rows to the
 * victim's tenant; a caller's answers may not move.
 */
export async function answersIndependentOf(o: {
  app: AppContext;
  callers: SweepCaller[];
  victimIds: WorldIds;
  marks: ReadonlySet<string>;
  grow: () => Promise<void>;
}): Promise<string[]> {
  const marks = [...o.marks];
  const asked: { who: SweepCaller; path: string; input: unknown; first: string }[] = [];
  for (const who of o.callers) {
    for (const { path, kind } of listProcedures()) {
      const input = PROCEDURE_INPUTS[path]?.(o.victimIds);
      if (kind !== 'query' || SESSION_ENDING.has(path) || marks.some((m) => json(input).includes(m)))
        continue;
      asked.push({ who, path, input, first: timeless(await call(o.app, who, path, input)) });
    }
  }
  await o.grow();
  const found: string[] = [];
  for (const q of asked) {
    const again = timeless(await call(o.app, q.who, q.path, q.input));
    if (again !== q.first)
      found.push(`${q.path} (${q.who.label}) answers differently once the victim has more rows`);
  }
  return found;
}

/** Compares findings with a KNOWN_GAPS list: new findings and gaps that no longer happen. */
export function againstKnownGaps(found: string[], knownGaps: readonly string[]) {
  return {
    unexpected: found.filter((f) => !knownGaps.includes(f)),
    fixedSoRemoveFromKnownGaps: knownGaps.filter((g) => !found.includes(g)),
  };
}
