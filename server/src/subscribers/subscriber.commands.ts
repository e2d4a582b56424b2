// `pnpm kasi subscriber:*`: add, list, import, export, suspend, resume. Each parses options,
// calls the same service the console uses, and prints a line (or JSON with --json).
import { readFile, writeFile } from 'node:fs/promises';
import { and, eq, sql } from 'drizzle-orm';
import { subscribers } from '@kasi/db';
import { invalid, isImportField, notFound, SUBSCRIBER_STATUSES, type ImportMapping } from '@kasi/domain';
import type { Actor, AppContext } from '../app-context.ts';
import type { Command, CommandArgs } from '../cli/commands.ts';
import { cliActor, need, optional } from '../cli/cli-args.ts';
import { addSubscriber } from './subscriber.service.ts';
import { allSubscribers } from './subscriber-query.ts';
import { resumeSubscriber, suspendSubscriber } from './subscriber-status.service.ts';
import { checkImport, commitImport } from './subscriber-import.service.ts';
import { exportSubscribersCsv } from './subscriber-export.service.ts';
import { readCsv } from './subscriber-csv.ts';
import { findPlan } from './subscriber-plan-ref.ts';

const str = { type: 'string' } as const;
const flag = { type: 'boolean' } as const;

async function byUsername(app: AppContext, actor: Actor, username: string) {
  const [s] = await app.db
    .select({ id: subscribers.id })
    .from(subscribers)
    .where(
      and(eq(subscribers.tenantId, actor.tenantId), sql`lower(${subscribers.username}) = lower(${username})`),
    );
  if (!s) throw notFound('SUBSCRIBER.NOT_FOUND', `No subscriber "${username}"`);
  return s.id;
}

/** `--map "Login=username,Package=plan,Notes=-"`: header → field ("-" ignores the column). */
function mappingFrom(text: string | undefined, headers: string[]): ImportMapping | undefined {
  if (!text) return undefined;
  const chosen = new Map<string, string>();
  for (const pair of text.split(',')) {
    const [col = '', field = ''] = pair.split('=').map((p) => p.trim());
    if (!headers.includes(col)) throw invalid('CLI.BAD_MAP', `No column "${col}" in the file`);
    if (field !== '-' && !isImportField(field)) throw invalid('CLI.BAD_MAP', `Unknown field "${field}"`);
    chosen.set(col, field);
  }
  return headers.map((h) => {
    const f = chosen.get(h);
    return f === undefined || f === '-' ? null : isImportField(f) ? f : null;
  });
}

function statusOption(a: CommandArgs) {
  const s = optional(a, 'status');
  if (s !== undefined && !(SUBSCRIBER_STATUSES as readonly string[]).includes(s)) {
    throw invalid('CLI.BAD_STATUS', `--status is one of ${SUBSCRIBER_STATUSES.join(', ')}`);
  }
  return s as (typeof SUBSCRIBER_STATUSES)[number] | undefined;
}

type Row = Awaited<ReturnType<typeof allSubscribers>>[number];
type Imported = {
  created?: number;
  accepted?: unknown[];
  refused: { row: number; field: string; message: string }[];
};

export const SUBSCRIBER_COMMANDS: Record<string, Command> = {
  'subscriber:add': {
    summary: 'Add a PPPoE/hotspot subscriber on a plan (password generated unless given, shown once)',
    usage:
      '--tenant S --username U --plan "Home 10M"|PLAN_ID [--password P] [--mac AA:BB:..] [--ip 10.0.0.5]',
    options: { tenant: str, username: str, password: str, plan: str, mac: str, ip: str },
    run: async (app, a) => {
      const actor = await cliActor(app, a);
      const plan = await findPlan(app.db, actor.tenantId, need(a, 'plan'));
      return addSubscriber(app, actor, {
        username: need(a, 'username'),
        password: optional(a, 'password'),
        planId: plan.id,
        macAddress: optional(a, 'mac') ?? null,
        framedIp: optional(a, 'ip') ?? null,
      });
    },
    describe: (r) => {
      const { subscriber, password } = r as { subscriber: { username: string }; password: string };
      return `Added subscriber ${subscriber.username}. Password (shown once): ${password}`;
    },
  },
  'subscriber:list': {
    summary: 'List subscribers (filter by status, plan name or id, tag, overdue)',
    usage:
      '--tenant S [--status active|suspended|terminated] [--plan P] [--tag T] [--search TEXT] [--overdue]',
    options: { tenant: str, status: str, plan: str, tag: str, search: str, overdue: flag },
    run: async (app, a) => {
      const actor = await cliActor(app, a);
      const plan = optional(a, 'plan');
      return allSubscribers(app, actor, {
        status: statusOption(a),
        planId: plan ? (await findPlan(app.db, actor.tenantId, plan)).id : undefined,
        tag: optional(a, 'tag'),
        search: optional(a, 'search'),
        ...(a.overdue === true && { overdue: true }),
      });
    },
    describe: (r) => {
      const rows = r as Row[];
      const lines = rows.map(
        ({ subscriber: s, planName }) =>
          `${s.username}\t${s.status}${s.statusReason ? ` (${s.statusReason})` : ''}\t${planName}\t${s.fullName ?? ''}`,
      );
      return [...lines, `${rows.length} subscriber${rows.length === 1 ? '' : 's'}.`].join('\n');
    },
  },
  'subscriber:import': {
    summary: 'Import subscribers from CSV: all rows or none (--dry-run: only say what would happen)',
    usage: '--tenant S --file F.csv [--dry-run] [--skip-refused] [--map "Login=username,Package=plan,Col=-"]',
    options: { tenant: str, file: str, 'dry-run': flag, 'skip-refused': flag, map: str },
    run: async (app, a) => {
      const actor = await cliActor(app, a);
      const csv = await readFile(need(a, 'file'), 'utf8');
      const mapping = mappingFrom(optional(a, 'map'), readCsv(csv).headers);
      if (a['dry-run']) return checkImport(app, actor, { csv, mapping });
      return commitImport(app, actor, { csv, mapping, skipRefused: a['skip-refused'] === true });
    },
    describe: (r) => {
      const x = r as Imported & { generated?: { username: string; password: string }[] };
      const refusals = x.refused.map((f) => `row ${f.row}, ${f.field}: ${f.message}`);
      const head =
        x.created === undefined
          ? `Dry run: ${x.accepted?.length ?? 0} rows would be imported, ${x.refused.length} refused. Nothing written.`
          : `Imported ${x.created} subscribers${x.refused.length ? `, skipped ${x.refused.length} refused rows` : ''}.`;
      const passwords = (x.generated ?? []).map((g) => `${g.username}\t${g.password}`);
      return [
        head,
        ...refusals,
        ...(passwords.length ? ['Generated passwords (shown once):', ...passwords] : []),
      ].join('\n');
    },
  },
  'subscriber:export': {
    summary: 'Export subscribers as CSV (no passwords) to a file or standard output',
    usage: '--tenant S [--file F.csv] [--status S] [--tag T]',
    options: { tenant: str, file: str, status: str, tag: str },
    run: async (app, a) => {
      const actor = await cliActor(app, a);
      const out = await exportSubscribersCsv(app, actor, {
        status: statusOption(a),
        tag: optional(a, 'tag'),
      });
      const file = optional(a, 'file');
      if (file) await writeFile(file, out.csv, { mode: 0o600 });
      return { ...out, file: file ?? null };
    },
    describe: (r) => {
      const x = r as { csv: string; count: number; file: string | null };
      return x.file ? `Wrote ${x.count} subscribers to ${x.file}.` : x.csv.trimEnd();
    },
  },
  'subscriber:suspend': {
    summary: 'Suspend a subscriber (walled garden or refused at the next login; live sessions disconnected)',
    usage: '--tenant S --username U --reason "unpaid May"',
    options: { tenant: str, username: str, reason: str },
    run: async (app, a) => {
      const actor = await cliActor(app, a);
      const id = await byUsername(app, actor, need(a, 'username'));
      return suspendSubscriber(app, actor, { id, reason: need(a, 'reason') });
    },
    describe: (r) => describeStatus(r),
  },
  'subscriber:resume': {
    summary: 'Resume a suspended subscriber (live sessions disconnected so they log in to full service)',
    usage: '--tenant S --username U [--reason R]',
    options: { tenant: str, username: str, reason: str },
    run: async (app, a) => {
      const actor = await cliActor(app, a);
      const id = await byUsername(app, actor, need(a, 'username'));
      return resumeSubscriber(app, actor, { id, reason: optional(a, 'reason') ?? null });
    },
    describe: (r) => describeStatus(r),
  },
};

function describeStatus(r: unknown): string {
  const { subscriber, disconnects } = r as {
    subscriber: { username: string; status: string };
    disconnects: { result: { status: string } }[];
  };
  const kicked = disconnects.length
    ? ` Live sessions: ${disconnects.map((d) => d.result.status).join(', ')}.`
    : ' No live sessions.';
  return `${subscriber.username} is ${subscriber.status}.${kicked}`;
}
