// CSV export of the filtered subscriber list. No passwords; headers the import recognises,
// so an export can be edited and imported elsewhere. Audited: it is personal data in bulk.
import { writeAudit } from '@kasi/db';
import { subscriberFilter, type SubscriberFilter } from '@kasi/domain';
import type { Actor, AppContext } from '../app-context.ts';
import { requirePermission } from '../authorize.ts';
import { auditActor } from '../audit/audit-actor.ts';
import { writeCsv } from './subscriber-csv.ts';
import { allSubscribers } from './subscriber-query.ts';

const HEADERS = [
  'username',
  'plan',
  'service',
  'status',
  'status_reason',
  'mac',
  'static_ip',
  'name',
  'phone',
  'email',
  'address',
  'latitude',
  'longitude',
  'tags',
  'notes',
  'router',
  'created_at',
];

export async function exportSubscribersCsv(app: AppContext, actor: Actor, input: SubscriberFilter = {}) {
  requirePermission(actor, 'subscriber.write');
  const filter = subscriberFilter.parse(input);
  const rows = await allSubscribers(app, actor, filter);
  const csv = writeCsv(
    HEADERS,
    rows.map(({ subscriber: s, planName, routerName }) => [
      s.username,
      planName,
      s.service,
      s.status,
      s.statusReason,
      s.macAddress,
      s.framedIp,
      s.fullName,
      s.phone,
      s.email,
      s.address,
      s.latitude,
      s.longitude,
      s.tags.join(';'),
      s.notes,
      routerName,
      s.createdAt,
    ]),
  );
  await writeAudit(app.db, {
    ...auditActor(actor),
    action: 'subscriber.export_list',
    entityType: 'subscriber',
    after: { count: rows.length, filter },
  });
  return { csv, count: rows.length };
}
