// The tenant's own settings as the console edits them: one shape for the form and the API.
import { z } from 'zod';
import type { Role } from './roles.ts';

/** Locales the console, agent app and PDFs format dates, numbers and money in. */
export const TENANT_LOCALES = ['en', 'en-KE', 'en-GB', 'en-US', 'sw', 'sw-KE', 'fr'] as const;

/** Small enough to travel with every card, receipt and portal page. */
export const LOGO_MAX_BYTES = 64 * 1024;

const isTimeZone = (tz: string) => {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
};

const logo = z
  .string()
  // PNG or JPEG: the voucher cards are PDFs, which cannot hold WebP. The server also checks
  // the bytes are that image (settings/brand-logo.ts).
  .regex(/^data:image\/(png|jpeg);base64,[A-Za-z0-9+/]+=*$/, 'A PNG or JPEG image')
  .refine((v) => Math.floor(((v.length - v.indexOf(',') - 1) * 3) / 4) <= LOGO_MAX_BYTES, {
    message: `The logo must be ${LOGO_MAX_BYTES / 1024} KB or smaller`,
  });

export const tenantSettingsInput = z.object({
  name: z.string().trim().min(1, 'Give the business a name').max(120).optional(),
  timezone: z.string().refine(isTimeZone, 'A time zone such as Africa/Nairobi').optional(),
  locale: z.enum(TENANT_LOCALES).optional(),
  hotspotUrl: z
    .url({ protocol: /^https?$/, message: 'An http:// or https:// address, e.g. http://hotspot.lan' })
    .max(200)
    .nullable()
    .optional(),
  brandColour: z
    .string()
    .regex(/^#[0-9a-fA-F]{6}$/, 'A colour as #rrggbb')
    .nullable()
    .optional(),
  logo: logo.nullable().optional(),
  twoPersonApproval: z.boolean().optional(),
  accountingRetentionMonths: z.number().int().min(1).max(120).optional(),
  smsRetentionDays: z.number().int().min(1).max(3650).optional(),
  requireTwoFactorForAdmins: z.boolean().optional(),
  radiusAddress: z
    .ipv4({ message: 'The IPv4 address your routers reach Kasi’s RADIUS at' })
    .nullable()
    .optional(),
});
export type TenantSettingsInput = z.input<typeof tenantSettingsInput>;

/** What each role may do, in plain words, for the console's Users page. */
export const ROLE_EXPLAINED: Readonly<Record<Role, string>> = {
  owner: 'Everything, including the business settings, payments set-up and other owners.',
  admin: 'Everything an operator can, plus people and the audit log. Cannot manage owners.',
  operator: 'Day-to-day work: plans, codes, routers, subscribers, billing and agents.',
  agent: 'Sells codes from an enrolled phone and sees only their own stock and cash.',
  viewer: 'Looks at everything an operator sees but cannot change anything.',
};

/** Roles an actor may give: admins never make owners. */
export function assignableRoles(actor: Role): Role[] {
  if (actor === 'owner') return ['owner', 'admin', 'operator', 'viewer'];
  if (actor === 'admin') return ['admin', 'operator', 'viewer'];
  return [];
}

export const memberInviteInput = z.object({
  email: z.email('An email address').max(200),
  name: z.string().trim().min(1, 'Their name').max(120),
  role: z.enum(['owner', 'admin', 'operator', 'viewer']),
});
export type MemberInviteInput = z.input<typeof memberInviteInput>;
