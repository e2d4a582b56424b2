// What the agent reads when Kasi refuses a sale or the phone cannot do something: plain
// words and what to do next, keyed by the stable reasons the server answers with.
import type { SyncReason } from '@kasi/domain';

const REJECTIONS: Record<SyncReason | 'invalid_op', string> = {
  already_sold: 'Kasi already has this code as sold. Keep this cash apart and tell your operator.',
  not_leased_to_device: 'This code was not given to this phone. Keep this cash apart and tell your operator.',
  used_before_sale:
    'A customer was already using this code before your sale. Keep this cash apart and tell your operator.',
  locked: 'This code was taken back from this phone before the sale reached Kasi. Tell your operator.',
  void: 'This code was cancelled by your operator. Tell your operator.',
  unknown_code: 'Kasi does not know this code. Tell your operator.',
  bad_signature: 'The sale’s signature did not check out. Tell your operator.',
  device_not_approved: 'This phone is not allowed to sell any more. Tell your operator.',
  sale_id_reused: 'Kasi already has a different sale under this number. Tell your operator.',
  seq_reused: 'Kasi already has a different sale under this number. Tell your operator.',
  invalid_op: 'Kasi could not read this sale. Tell your operator.',
  sequence_gap: 'Some earlier sales from this phone have not reached Kasi.',
  amount_mismatch: 'The price on this phone differs from Kasi’s.',
};

export function describeRejection(reason: string): string {
  return (
    REJECTIONS[reason as keyof typeof REJECTIONS] ?? `Kasi refused this sale (${reason}). Tell your operator.`
  );
}

const DEVICE_STATUS: Record<string, string> = {
  new: 'Not enrolled yet',
  pending: 'Waiting for approval',
  approved: 'Approved',
  revoked: 'Withdrawn by your operator',
  lost: 'Reported lost',
};

export const describeDeviceStatus = (status: string) => DEVICE_STATUS[status] ?? status;

/** An error whose message was written for the agent and may be shown as it is. */
export class PlainError extends Error {}
