// The dunning policy form's fields as typed, and the patch they make (checked by the shared
// @kasi/domain schema, errors named by field).
import { dunningPolicyPatch, type DunningPolicyPatch } from '@kasi/domain';
import { validate, wholeNumber, type Parsed } from './form-input.ts';

export const WEEKDAYS = [
  'Sunday',
  'Monday',
  'Tuesday',
  'Wednesday',
  'Thursday',
  'Friday',
  'Saturday',
] as const;

export interface DunningPolicyView {
  runHour: number;
  reminderDays: number[];
  noSuspendWeekdays: number[];
  holidays: string[];
  accrueWhileSuspended: boolean;
}

export interface DunningFields {
  runHour: string;
  reminderDays: string;
  quiet: boolean[];
  holidays: string;
  accrueWhileSuspended: boolean;
}

export const dunningFields = (p: DunningPolicyView): DunningFields => ({
  runHour: String(p.runHour),
  reminderDays: p.reminderDays.join(', '),
  quiet: WEEKDAYS.map((_, i) => p.noSuspendWeekdays.includes(i)),
  holidays: p.holidays.join('\n'),
  accrueWhileSuspended: p.accrueWhileSuspended,
});

const signedInt = (t: string) => (/^[+-]?\d+$/.test(t) ? Number(t) : Number.NaN);
const items = (text: string) =>
  text
    .split(/[\s,]+/)
    .map((x) => x.trim())
    .filter(Boolean);

export function toDunningPatch(f: DunningFields): Parsed<DunningPolicyPatch> {
  const parsed = validate(dunningPolicyPatch, {
    runHour: wholeNumber(f.runHour),
    reminderDays: items(f.reminderDays).map(signedInt),
    noSuspendWeekdays: f.quiet.flatMap((on, i) => (on ? [i] : [])),
    holidays: items(f.holidays),
    accrueWhileSuspended: f.accrueWhileSuspended,
  });
  if (parsed.ok) return parsed;
  // A bad list item (`holidays.1`) is shown on its list's field.
  const errors: Record<string, string> = {};
  for (const [k, v] of Object.entries(parsed.errors)) errors[k.split('.')[0]!] ??= v;
  return { ok: false, errors };
}
