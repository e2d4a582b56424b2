// What the agent reads when Kasi refuses a sale or the phone cannot do something: plain
// words and what to do next, keyed by the stable reasons the server answers with, in the
// agent's language (messages/<locale>/agent.json).
import type { SyncReason } from '@kasi/domain';
import { m } from '#lib/i18n/locale.ts';

const REJECTIONS: Record<SyncReason | 'invalid_op', () => string> = {
  already_sold: m.agent_reject_already_sold,
  not_leased_to_device: m.agent_reject_not_leased,
  used_before_sale: m.agent_reject_used_before,
  locked: m.agent_reject_locked,
  void: m.agent_reject_void,
  unknown_code: m.agent_reject_unknown_code,
  bad_signature: m.agent_reject_bad_signature,
  device_not_approved: m.agent_reject_not_approved,
  sale_id_reused: m.agent_reject_reused,
  seq_reused: m.agent_reject_reused,
  invalid_op: m.agent_reject_invalid_op,
  sequence_gap: m.agent_reject_sequence_gap,
  amount_mismatch: m.agent_reject_amount_mismatch,
};

export function describeRejection(reason: string): string {
  const known = REJECTIONS[reason as keyof typeof REJECTIONS] as (() => string) | undefined;
  return known ? known() : m.agent_reject_other({ reason });
}

const DEVICE_STATUS: Record<string, () => string> = {
  new: m.agent_status_new,
  pending: m.agent_status_pending,
  approved: m.agent_status_approved,
  revoked: m.agent_status_revoked,
  lost: m.agent_status_lost,
};

export const describeDeviceStatus = (status: string) => DEVICE_STATUS[status]?.() ?? status;

/** An error whose message was written for the agent and may be shown as it is. */
export class PlainError extends Error {}
