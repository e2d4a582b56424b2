// CSV import: preview (headers, guessed mapping, a few rows), check (a dry run: every row
// accepted or refused with its reasons, nothing written) and commit (all accepted rows in one
// transaction, or none). Rows are numbered as a spreadsheet shows them: the header is row 1.
import { and, eq, inArray, sql } from 'drizzle-orm';
import { subscribers, writeAudit, type Executor } from '@kasi/db';
import {
  guessImportMapping,
  importRowCandidate,
  invalid,
  mappingProblems,
  subscriberInput,
  type ImportMapping,
  type SubscriberValues,
} from '@kasi/domain';
import type { Actor, AppContext } from '../app-context.ts';
import { requirePermission } from '../authorize.ts';
import { auditActor } from '../audit/audit-actor.ts';
import { readCsv } from './subscriber-csv.ts';
import { auditView } from './subscriber-columns.ts';
import { generateSubscriberPassword } from './subscriber-password.ts';
import { insertSubscribers } from './subscriber.service.ts';
import { planFinder } from './subscriber-plan-ref.ts';

export interface ImportRefusal {
  row: number;
  field: string;
  message: string;
}
const NO_PLAN = '00000000-0000-4000-8000-000000000000';

interface AcceptedRow {
  row: number;
  values: SubscriberValues;
  planName: string;
}

export async function previewImport(app: AppContext, actor: Actor, input: { csv: string }) {
  requirePermission(actor, 'subscriber.write');
  const { headers, rows } = readCsv(input.csv);
  return { headers, mapping: guessImportMapping(headers), sample: rows.slice(0, 5), rowCount: rows.length };
}

function usableMapping(headers: string[], mapping: ImportMapping | undefined): ImportMapping {
  const m = mapping ?? guessImportMapping(headers);
  if (m.length !== headers.length) {
    throw invalid(
      'SUBSCRIBER.IMPORT_MAPPING',
      `The mapping has ${m.length} columns, the file ${headers.length}`,
    );
  }
  const problems = mappingProblems(m);
  if (problems.length) throw invalid('SUBSCRIBER.IMPORT_MAPPING', problems.join('; '));
  return m;
}

async function checkRows(db: Executor, actor: Actor, csv: string, mapping?: ImportMapping) {
  const { headers, rows } = readCsv(csv);
  const m = usableMapping(headers, mapping);
  const planFor = await planFinder(db, actor.tenantId);
  const candidates = rows.map((cells) => importRowCandidate(cells, m));
  const names = candidates.map((c) => String(c.values['username'] ?? '').toLowerCase()).filter(Boolean);
  const taken = new Set(
    (
      await db
        .select({ u: sql<string>`lower(${subscribers.username})` })
        .from(subscribers)
        .where(
          and(eq(subscribers.tenantId, actor.tenantId), inArray(sql`lower(${subscribers.username})`, names)),
        )
    ).map((r) => r.u),
  );
  const seen = new Map<string, number>();
  const accepted: AcceptedRow[] = [];
  const refused: ImportRefusal[] = [];
  candidates.forEach((c, i) => {
    const row = i + 2;
    const problems: ImportRefusal[] = [];
    const plan = c.plan === null ? undefined : planFor(c.plan);
    if (c.plan === null) problems.push({ row, field: 'plan', message: 'No plan given' });
    else if (!plan) problems.push({ row, field: 'plan', message: `Unknown plan "${c.plan}"` });
    // An unknown plan is already reported; a stand-in id lets the other fields be checked too.
    const parsed = subscriberInput.safeParse({ ...c.values, planId: plan?.id ?? NO_PLAN });
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        const field = issue.path.map(String).join('.') || 'row';
        if (!problems.some((p) => p.field === field)) problems.push({ row, field, message: issue.message });
      }
    }
    const name = String(c.values['username'] ?? '').toLowerCase();
    if (name && seen.has(name)) {
      problems.push({ row, field: 'username', message: `Same user name as row ${seen.get(name)}` });
    } else if (name && taken.has(name)) {
      problems.push({
        row,
        field: 'username',
        message: `The user name "${String(c.values['username'])}" is taken`,
      });
    }
    if (name && !seen.has(name)) seen.set(name, row);
    if (problems.length || !parsed.success || !plan) refused.push(...problems);
    else accepted.push({ row, values: parsed.data, planName: plan.name });
  });
  return { mapping: m, total: rows.length, accepted, refused };
}

/** The dry run: what a commit would write and what it would refuse, and why. */
export async function checkImport(
  app: AppContext,
  actor: Actor,
  input: { csv: string; mapping?: ImportMapping },
) {
  requirePermission(actor, 'subscriber.write');
  const r = await checkRows(app.db, actor, input.csv, input.mapping);
  return {
    mapping: r.mapping,
    total: r.total,
    refused: r.refused,
    accepted: r.accepted.map((a) => ({
      row: a.row,
      username: a.values.username,
      planName: a.planName,
      passwordGenerated: a.values.password === undefined,
    })),
  };
}

/**
 * Writes every accepted row in one transaction. A refused row fails the whole import with a
 * typed error naming it (row and field), unless `skipRefused` says to leave refused rows out.
 * The passwords made for rows without one are in the answer, once.
 */
export async function commitImport(
  app: AppContext,
  actor: Actor,
  input: { csv: string; mapping?: ImportMapping; skipRefused?: boolean },
) {
  requirePermission(actor, 'subscriber.write');
  return app.db.transaction(async (tx) => {
    // Checked again inside the transaction: the tenant may have changed since the dry run.
    const r = await checkRows(tx, actor, input.csv, input.mapping);
    const [first] = r.refused;
    if (first && !input.skipRefused) {
      const more = r.refused.length > 1 ? ` (and ${r.refused.length - 1} more refusals)` : '';
      throw invalid(
        'SUBSCRIBER.IMPORT_REFUSED',
        `Row ${first.row}, ${first.field}: ${first.message}${more}`,
        {
          refused: r.refused,
        },
      );
    }
    const generated: { username: string; password: string }[] = [];
    const values = r.accepted.map((a) => {
      const password = a.values.password ?? generateSubscriberPassword();
      if (a.values.password === undefined) generated.push({ username: a.values.username, password });
      return { ...a.values, password };
    });
    const rows = await insertSubscribers(app, tx, actor, values);
    const audits = rows.map((row) => ({
      ...auditActor(actor),
      action: 'subscriber.create',
      entityType: 'subscriber',
      entityId: row.id,
      after: { ...auditView(row), via: 'import' },
    }));
    if (audits.length) await writeAudit(tx, audits);
    return { created: r.accepted.length, refused: r.refused, generated };
  });
}
