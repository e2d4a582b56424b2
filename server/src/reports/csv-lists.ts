// The console's lists as CSV files (GET /csv/<name>.csv, http/csv-route.ts). Each list reads
// through the same service as its page, with the page's filters as query parameters, so an
// export shows exactly what the operator filtered and only what their role may read.
import { z } from 'zod';
import { invalid, subscriberFilter } from '@kasi/domain';
import type { AppContext } from '../app-context.ts';
import { requirePermission } from '../authorize.ts';
import { keysetPages, type CsvCell, type CsvList } from '../http/csv-route.ts';
import { listBatchVouchers, listVoucherBatches } from '../vouchers/voucher.service.ts';
import { allSubscribers } from '../subscribers/subscriber-query.ts';
import { listInvoices } from '../billing/invoice.service.ts';
import { listPaymentsFiltered, paymentListInput } from '../payments/payments-read.ts';
import { listAgents } from '../agents/agent.service.ts';
import { listOnline, onlineInput } from '../sessions/online.service.ts';
import { auditListInput, listAudit } from '../audit/audit.service.ts';
import { salesByChannel, salesByChannelInput } from './sales-report.service.ts';

const PAGE = 1000;

/** Query parameters through the list's own schema; a bad one is a 400 naming the field. */
function filters<S extends z.ZodType>(schema: S, query: URLSearchParams): z.output<S> {
  const result = schema.safeParse(Object.fromEntries([...query].filter(([, v]) => v !== '')));
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const field = issue?.path.join('.') || 'filter';
  throw invalid('CSV.BAD_FILTER', `${field}: ${issue?.message ?? 'not valid'}`, { field });
}

async function* once(rows: Promise<CsvCell[][]>): AsyncIterable<CsvCell[][]> {
  yield await rows;
}

const bigintParam = z
  .string()
  .regex(/^\d+$/)
  .transform((s) => BigInt(s));

function vouchersList(app: AppContext): CsvList {
  return {
    name: 'vouchers',
    headers: [
      'code',
      'channel',
      'state',
      'sold',
      'sold_at',
      'locked',
      'first_login',
      'expires_at',
      'used_seconds',
      'used_bytes',
      'print_run',
    ],
    rows: (actor, query) => {
      const { batch } = filters(z.object({ batch: z.uuid() }), query);
      return keysetPages(
        async (offset: number | undefined) => {
          const { rows } = await listBatchVouchers(app, actor, batch, { limit: PAGE, offset: offset ?? 0 });
          return { rows, next: rows.length === PAGE ? (offset ?? 0) + PAGE : null };
        },
        (v) => [
          v.code,
          v.channel,
          v.state,
          v.sold,
          v.soldAt,
          v.locked,
          v.firstUsedAt,
          v.expiresAt,
          v.usedSeconds,
          v.usedOctets,
          v.printRun,
        ],
      );
    },
  };
}

function batchesList(app: AppContext): CsvList {
  return {
    name: 'batches',
    headers: [
      'name',
      'created_at',
      'quantity',
      'in_stock',
      'printed',
      'with_agents',
      'sold',
      'in_use',
      'used_up',
      'expired',
      'void',
      'locked',
    ],
    rows: (actor) =>
      once(
        listVoucherBatches(app, actor).then((list) =>
          list.map(({ batch: b, figures: f }) => [
            b.name,
            b.createdAt,
            b.quantity,
            f.inStock,
            f.printed,
            f.withAgents,
            f.sold,
            f.inUse,
            f.usedUp,
            f.expired,
            f.void,
            f.locked,
          ]),
        ),
      ),
  };
}

function subscribersList(app: AppContext): CsvList {
  return {
    name: 'subscribers',
    audited: true,
    headers: [
      'username',
      'plan',
      'service',
      'status',
      'name',
      'phone',
      'email',
      'mac',
      'static_ip',
      'expires_at',
      'router',
      'online',
      'tags',
      'created_at',
    ],
    rows: (actor, query) => {
      // Personal data in bulk: the same rule as the subscriber page's export button.
      requirePermission(actor, 'subscriber.write');
      const filter = filters(subscriberFilter, query);
      return once(
        allSubscribers(app, actor, filter).then((rows) =>
          rows.map(({ subscriber: s, planName, routerName, online }) => [
            s.username,
            planName,
            s.service,
            s.status,
            s.fullName,
            s.phone,
            s.email,
            s.macAddress,
            s.framedIp,
            s.expiresAt,
            routerName,
            online,
            s.tags.join(';'),
            s.createdAt,
          ]),
        ),
      );
    },
  };
}

function invoicesList(app: AppContext): CsvList {
  return {
    name: 'invoices',
    headers: [
      'number',
      'kind',
      'status',
      'username',
      'currency',
      'total_minor',
      'allocated_minor',
      'issued_at',
      'due_at',
    ],
    rows: (actor, query) => {
      const filter = filters(
        z.object({ subscriberId: z.uuid().optional(), status: z.string().max(20).optional() }),
        query,
      );
      return once(
        listInvoices(app, actor, filter as Parameters<typeof listInvoices>[2]).then((rows) =>
          rows.map((i) => [
            i.displayNumber,
            i.kind,
            i.status,
            i.username,
            i.currency,
            i.totalMinor,
            i.allocatedMinor,
            i.issuedAt,
            i.dueAt,
          ]),
        ),
      );
    },
  };
}

function paymentsList(app: AppContext): CsvList {
  return {
    name: 'payments',
    headers: [
      'receipt',
      'received_at',
      'username',
      'method',
      'provider_id',
      'currency',
      'amount_minor',
      'refunded_minor',
      'status',
      'reference',
    ],
    // The payments page's filters (payments/payments-read.ts), page by page.
    rows: (actor, query) => {
      const f = filters(paymentListInput.omit({ before: true, limit: true }), query);
      return keysetPages(
        async (before: string | undefined) => {
          const r = await listPaymentsFiltered(app, actor, { ...f, limit: 500, before });
          return { rows: r.rows, next: r.nextBefore };
        },
        (p) => [
          p.receiptNumber,
          p.receivedAt,
          p.username,
          p.method,
          p.providerId,
          p.currency,
          p.amountMinor,
          p.refundedMinor,
          p.status,
          p.reference,
        ],
      );
    },
  };
}

function agentsList(app: AppContext): CsvList {
  return {
    name: 'agents',
    headers: ['name', 'email', 'status', 'currency', 'credit_limit_minor', 'commission_bps', 'devices'],
    rows: (actor) =>
      once(
        listAgents(app, actor).then((rows) =>
          rows.map(({ agent: a, name, email, devices }) => [
            name,
            email,
            a.status,
            a.currency,
            a.creditLimitMinor,
            a.commissionBps,
            devices,
          ]),
        ),
      ),
  };
}

function salesList(app: AppContext): CsvList {
  return {
    name: 'sales',
    headers: ['day', 'channel', 'plan', 'agent', 'currency', 'count', 'amount_minor'],
    rows: (actor, query) =>
      once(
        salesByChannel(app, actor, filters(salesByChannelInput, query)).then((r) =>
          r.rows.map((s) => [s.day, s.channel, s.planName, s.agentName, s.currency, s.count, s.amountMinor]),
        ),
      ),
  };
}

function onlineList(app: AppContext): CsvList {
  return {
    name: 'online',
    headers: [
      'user_name',
      'router',
      'mac',
      'ip',
      'started_at',
      'session_seconds',
      'download_bytes',
      'upload_bytes',
    ],
    rows: (actor, query) => {
      const f = filters(onlineInput.omit({ before: true, limit: true }), query);
      return keysetPages(
        async (before: bigint | undefined) => {
          const r = await listOnline(app, actor, { ...f, limit: PAGE, before });
          return { rows: r.rows, next: r.nextBefore };
        },
        // Accounting counts from the NAS's side: its input is the user's upload.
        (s) => [
          s.userName,
          s.nasName,
          s.mac,
          s.framedIp,
          s.startedAt,
          s.sessionTime,
          s.outputOctets,
          s.inputOctets,
        ],
      );
    },
  };
}

function auditList(app: AppContext): CsvList {
  return {
    name: 'audit',
    headers: ['id', 'at', 'person', 'action', 'object_type', 'object_id', 'before', 'after'],
    rows: (actor, query) => {
      const f = filters(
        auditListInput.omit({ before: true, limit: true }).extend({ before: bigintParam.optional() }),
        query,
      );
      return keysetPages(
        async (before: bigint | undefined) => {
          const r = await listAudit(app, actor, { ...f, limit: 500, before: before ?? f.before });
          return { rows: r.rows, next: r.nextBefore };
        },
        (a) => [
          a.id,
          a.at,
          a.actor,
          a.action,
          a.entityType,
          a.entityId,
          a.before === null ? null : JSON.stringify(a.before),
          a.after === null ? null : JSON.stringify(a.after),
        ],
      );
    },
  };
}

export function consoleCsvLists(app: AppContext): CsvList[] {
  return [
    vouchersList(app),
    batchesList(app),
    subscribersList(app),
    invoicesList(app),
    paymentsList(app),
    agentsList(app),
    salesList(app),
    onlineList(app),
    auditList(app),
  ];
}
