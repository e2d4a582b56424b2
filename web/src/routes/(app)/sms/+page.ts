import { can } from '@kasi/domain';
import { api } from '#lib/api.ts';
import { failLoad } from '#lib/errors.ts';
import type { PageLoad } from './$types';

const STATUSES = ['queued', 'sending', 'sent', 'delivered', 'failed', 'skipped'] as const;
type Status = (typeof STATUSES)[number];
const isStatus = (s: string | null): s is Status => (STATUSES as readonly string[]).includes(s ?? '');

export const load: PageLoad = async ({ depends, parent, url }) => {
  depends('app:sms');
  const { session } = await parent();
  const status = url.searchParams.get('status');
  const [messages, status_, optOuts] = await Promise.all([
    api.sms.outbox.query(isStatus(status) ? { status } : {}),
    api.sms.status.query(),
    api.sms.optOuts.query(),
  ]).catch(failLoad);
  return {
    messages,
    sms: status_,
    optOuts,
    status: isStatus(status) ? status : '',
    write: can(session.role, 'subscriber.write'),
  };
};
