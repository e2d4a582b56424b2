// The Settings forms' text → the shared schemas' shapes; blank optional fields are "not set".
import {
  memberInviteInput,
  tenantSettingsInput,
  type MemberInviteInput,
  type Role,
  type TenantSettingsInput,
} from '@kasi/domain';
import type { FieldErrors } from './errors.ts';
import { blankToNull, validate, wholeNumber, type Parsed } from './form-input.ts';
import type { TenantSettingsView } from './settings-types.ts';
import { m } from './i18n/locale.ts';

export interface TenantFields {
  name: string;
  timezone: string;
  locale: string;
  hotspotUrl: string;
  brandColour: string;
  logo: string | null;
  twoPersonApproval: boolean;
  accountingRetentionMonths: string;
  smsRetentionDays: string;
  radiusAddress: string;
}

export const tenantFields = (s: TenantSettingsView): TenantFields => ({
  name: s.name,
  timezone: s.timezone,
  locale: s.locale,
  hotspotUrl: s.hotspotUrl ?? '',
  brandColour: s.brandColour ?? '',
  logo: s.logo,
  twoPersonApproval: s.twoPersonApproval,
  accountingRetentionMonths: String(s.accountingRetentionMonths),
  smsRetentionDays: String(s.smsRetentionDays),
  radiusAddress: s.radiusAddress ?? '',
});

export function toTenantSettingsInput(f: TenantFields): Parsed<TenantSettingsInput> {
  const smsRetentionDays = wholeNumber(f.smsRetentionDays);
  // "abc" or "1.5" is not a number of days: said in the operator's words, not the schema's.
  const known: FieldErrors = {};
  if (smsRetentionDays === undefined) known['smsRetentionDays'] = m.console_settings_sms_retention_whole();
  return validate(
    tenantSettingsInput,
    {
      name: f.name,
      timezone: f.timezone.trim(),
      locale: f.locale,
      hotspotUrl: blankToNull(f.hotspotUrl),
      brandColour: blankToNull(f.brandColour),
      logo: f.logo,
      twoPersonApproval: f.twoPersonApproval,
      accountingRetentionMonths: wholeNumber(f.accountingRetentionMonths) ?? f.accountingRetentionMonths,
      smsRetentionDays: smsRetentionDays ?? f.smsRetentionDays,
      radiusAddress: blankToNull(f.radiusAddress),
    },
    known,
  );
}

export interface InviteFields {
  email: string;
  name: string;
  role: Role;
}

export function toInviteInput(f: InviteFields): Parsed<MemberInviteInput> {
  return validate(memberInviteInput, { email: f.email.trim(), name: f.name, role: f.role });
}

/** Why the actor may not act on this member, in plain words; null when they may. */
export function memberRefusal(
  actor: { role: Role; userId: string },
  member: { id: string; role: Role },
  ownersActive: number,
): string | null {
  if (member.id === actor.userId) return m.console_settings_refuse_self();
  if (actor.role !== 'owner' && member.role === 'owner') return m.console_settings_refuse_owner();
  if (member.role === 'owner' && ownersActive <= 1) return m.console_settings_refuse_last_owner();
  return null;
}
