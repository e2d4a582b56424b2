// The languages the console speaks, as a person picks one for themselves (ADR 0030). The web
// app's Paraglide locales (web/project.inlang/settings.json) are the same three.
import { z } from 'zod';

export const USER_LOCALES = ['en', 'sw', 'fr'] as const;
export type UserLocale = (typeof USER_LOCALES)[number];

/** null: follow the tenant's language. */
export const setUserLocaleInput = z.object({ locale: z.enum(USER_LOCALES).nullable() });
