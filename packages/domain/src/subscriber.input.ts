// Subscriber input shapes, shared by tRPC, the CLI, CSV import and the PWA form: the one
// source of the rules for a user name, a MAC, a phone number, coordinates and tags.
import { z } from 'zod';

export const SUBSCRIBER_STATUSES = ['active', 'suspended', 'terminated'] as const;
export type SubscriberState = (typeof SUBSCRIBER_STATUSES)[number];
export const SUBSCRIBER_SERVICES = ['any', 'pppoe', 'hotspot'] as const;

const mac = z
  .string()
  .trim()
  .regex(/^([0-9A-Fa-f]{2}[:-]?){5}[0-9A-Fa-f]{2}$/, 'MAC address like AA:BB:CC:DD:EE:FF')
  .transform((m) => m.replace(/[:-]/g, '').toUpperCase().match(/../g)?.join(':') ?? m);

/** E.164: "+", country code, number. Spaces, dots, dashes and brackets people type are dropped. */
const phone = z
  .string()
  .trim()
  .transform((p) => p.replace(/[\s().-]/g, ''))
  .pipe(z.string().regex(/^\+[1-9]\d{6,14}$/, 'International format, like +254712345678'));

/** Decimal degrees as text, kept exact (stored as numeric(9,6)). */
const degrees = (max: number, what: string) =>
  z
    .string()
    .trim()
    .regex(/^-?\d{1,3}(\.\d{1,6})?$/, `${what} in decimal degrees, up to 6 decimals`)
    .refine((d) => Math.abs(Number(d)) <= max, `${what} between -${max} and ${max}`);

const tag = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[\p{L}\p{N}_.:-]{1,32}$/u, 'Tags are single words (letters, digits, - _ . :)');

export const subscriberUsername = z
  .string()
  .trim()
  .min(2)
  .max(64)
  .regex(/^[A-Za-z0-9._@-]+$/, 'Letters, digits and . _ @ - only');
export const subscriberPassword = z.string().min(6).max(128);

const optionalText = (max: number) => z.string().trim().max(max).nullable();

/** Everything an operator edits; no defaults, so an update leaves what it omits untouched. */
const editable = z.object({
  planId: z.uuid(),
  service: z.enum(SUBSCRIBER_SERVICES),
  macAddress: mac.nullable(),
  framedIp: z.ipv4().nullable(),
  expiresAt: z.date().nullable(),
  fullName: optionalText(120),
  phone: phone.nullable(),
  email: z.email('An email address like jane@example.com').max(254).nullable(),
  address: optionalText(300),
  latitude: degrees(90, 'Latitude').nullable(),
  longitude: degrees(180, 'Longitude').nullable(),
  tags: z.array(tag).max(20),
  notes: optionalText(2000),
});

/** GPS is a point: both coordinates or neither. */
function gpsPair(v: { latitude?: string | null; longitude?: string | null }, ctx: z.RefinementCtx) {
  if (v.latitude === undefined && v.longitude === undefined) return;
  if ((v.latitude ?? null) === null && (v.longitude ?? null) === null) return;
  if ((v.latitude ?? null) === null)
    ctx.addIssue({ code: 'custom', path: ['latitude'], message: 'Give both coordinates, or neither' });
  if ((v.longitude ?? null) === null)
    ctx.addIssue({ code: 'custom', path: ['longitude'], message: 'Give both coordinates, or neither' });
}

const createShape = editable.extend({
  username: subscriberUsername,
  /** Absent: the server makes one. Either way it is shown once, in the answer. */
  password: subscriberPassword.optional(),
  service: editable.shape.service.default('any'),
  macAddress: editable.shape.macAddress.default(null),
  framedIp: editable.shape.framedIp.default(null),
  expiresAt: editable.shape.expiresAt.default(null),
  fullName: editable.shape.fullName.default(null),
  phone: editable.shape.phone.default(null),
  email: editable.shape.email.default(null),
  address: editable.shape.address.default(null),
  latitude: editable.shape.latitude.default(null),
  longitude: editable.shape.longitude.default(null),
  tags: editable.shape.tags.default([]),
  notes: editable.shape.notes.default(null),
});
export const subscriberInput = createShape.superRefine(gpsPair);
export type SubscriberInput = z.input<typeof subscriberInput>;
export type SubscriberValues = z.output<typeof subscriberInput>;

/** A user name is not editable: accounting and the router know the account by it. */
export const subscriberUpdateInput = editable.partial().extend({ id: z.uuid() }).superRefine(gpsPair);
export type SubscriberUpdate = z.input<typeof subscriberUpdateInput>;

export const subscriberStatusInput = z.object({
  id: z.uuid(),
  status: z.enum(SUBSCRIBER_STATUSES),
  reason: z.string().trim().max(200).nullable().default(null),
});

/** Suspend and terminate need a reason the next operator can read; resume may add one. */
export const subscriberReasonInput = z.object({
  id: z.uuid(),
  reason: z.string().trim().min(3, 'Say why (at least 3 characters)').max(200),
});
export const subscriberResumeInput = z.object({
  id: z.uuid(),
  reason: z.string().trim().max(200).nullable().default(null),
});

/** Filters of the list and of the CSV export. */
export const subscriberFilter = z.object({
  /** Matches user name, name, phone or email (case-insensitive, anywhere in the text). */
  search: z.string().trim().max(100).optional(),
  status: z.enum(SUBSCRIBER_STATUSES).optional(),
  planId: z.uuid().optional(),
  /** The router (NAS) that last sent accounting for the subscriber. */
  nasId: z.uuid().optional(),
  tag: tag.optional(),
  /**
   * Owes money on an invoice past its due date (a day of the billing calendar before today),
   * whatever the grace days: the same rule as the dashboard's overdue count.
   */
  overdue: z.boolean().optional(),
});
export type SubscriberFilter = z.input<typeof subscriberFilter>;

export const subscriberListInput = subscriberFilter.extend({
  limit: z.number().int().min(1).max(500).default(50),
  offset: z.number().int().min(0).default(0),
});
