// Message templates per event and language: the operator's wording where saved, Kasi's
// built-in wording otherwise. Saving refuses placeholders the event does not fill (the
// domain input says which), so nothing goes out with a hole in it.
import { and, eq } from 'drizzle-orm';
import { z } from 'zod';
import { smsTemplates, writeAudit } from '@kasi/db';
import {
  BUILTIN_SMS_TEMPLATES,
  SMS_EVENTS,
  SMS_EVENT_LABELS,
  SMS_EVENT_VARIABLES,
  SMS_LANGUAGES,
  smsEventSchema,
  smsLanguageSchema,
  smsTemplateInput,
  type SmsTemplateInput,
} from '@kasi/domain';
import type { Actor, AppContext } from '../app-context.ts';
import { requirePermission } from '../authorize.ts';
import { auditActor } from '../audit/audit-actor.ts';

export async function listTemplates(app: AppContext, actor: Actor) {
  requirePermission(actor, 'subscriber.read');
  const own = await app.db
    .select({ event: smsTemplates.event, language: smsTemplates.language, body: smsTemplates.body })
    .from(smsTemplates)
    .where(eq(smsTemplates.tenantId, actor.tenantId));
  const mine = new Map(own.map((t) => [`${t.event}/${t.language}`, t.body]));
  return SMS_EVENTS.map((event) => ({
    event,
    label: SMS_EVENT_LABELS[event],
    variables: [...SMS_EVENT_VARIABLES[event]],
    languages: SMS_LANGUAGES.map((language) => {
      const body = mine.get(`${event}/${language}`);
      return {
        language,
        body: body ?? BUILTIN_SMS_TEMPLATES[language][event],
        custom: body !== undefined,
        builtin: BUILTIN_SMS_TEMPLATES[language][event],
      };
    }),
  }));
}

export async function saveTemplate(app: AppContext, actor: Actor, input: SmsTemplateInput) {
  requirePermission(actor, 'tenant.manage');
  const v = smsTemplateInput.parse(input);
  return app.db.transaction(async (tx) => {
    await tx
      .insert(smsTemplates)
      .values({ tenantId: actor.tenantId, ...v, updatedBy: actor.userId })
      .onConflictDoUpdate({
        target: [smsTemplates.tenantId, smsTemplates.event, smsTemplates.language],
        set: { body: v.body, updatedBy: actor.userId, updatedAt: new Date() },
      });
    await writeAudit(tx, {
      ...auditActor(actor),
      action: 'sms.template.save',
      entityType: 'sms_template',
      entityId: `${v.event}/${v.language}`,
      after: { body: v.body },
    });
    return { event: v.event, language: v.language };
  });
}

export const templateRefInput = z.object({ event: smsEventSchema, language: smsLanguageSchema });

/** Back to Kasi's wording. */
export async function resetTemplate(app: AppContext, actor: Actor, input: z.input<typeof templateRefInput>) {
  requirePermission(actor, 'tenant.manage');
  const v = templateRefInput.parse(input);
  return app.db.transaction(async (tx) => {
    const rows = await tx
      .delete(smsTemplates)
      .where(
        and(
          eq(smsTemplates.tenantId, actor.tenantId),
          eq(smsTemplates.event, v.event),
          eq(smsTemplates.language, v.language),
        ),
      )
      .returning({ id: smsTemplates.id });
    if (rows.length > 0) {
      await writeAudit(tx, {
        ...auditActor(actor),
        action: 'sms.template.reset',
        entityType: 'sms_template',
        entityId: `${v.event}/${v.language}`,
      });
    }
    return { reset: rows.length > 0 };
  });
}
