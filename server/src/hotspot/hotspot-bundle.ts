// The bundle for one tenant: its brand (name, colour, logo) and language from the tenant row,
// the buy-now and problem-report addresses under the install's token.
import { createHash } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { tenants, type Executor } from '@kasi/db';
import { hotspotLanguage, notFound, renderHotspotBundle, type HotspotLanguage } from '@kasi/domain';

export const HOTSPOT_PATH = '/h/';

export const hotspotBase = (kasiUrl: string, token: string) =>
  `${kasiUrl.replace(/\/+$/, '')}${HOTSPOT_PATH}${token}`;

export async function tenantBrand(db: Executor, tenantId: string) {
  const [t] = await db
    .select({ name: tenants.name, colour: tenants.brandColour, logo: tenants.logo, locale: tenants.locale })
    .from(tenants)
    .where(eq(tenants.id, tenantId));
  if (!t) throw notFound('TENANT.NOT_FOUND', 'No such tenant');
  return { brand: { name: t.name, colour: t.colour, logo: t.logo }, language: hotspotLanguage(t.locale) };
}

export async function bundleFor(
  db: Executor,
  tenantId: string,
  o: { base: string | null; language?: HotspotLanguage | undefined; inlineHelper?: boolean },
) {
  const { brand, language } = await tenantBrand(db, tenantId);
  return renderHotspotBundle({
    brand,
    language: o.language ?? language,
    buyUrl: o.base ? `${o.base}/buy` : null,
    reportUrl: o.base ? `${o.base}/problem` : null,
    inlineHelper: o.inlineHelper ?? false,
  });
}

export const sha256 = (body: string) => createHash('sha256').update(body, 'utf8').digest('hex');

/** The router directory for a bundle: named by its content, so a new bundle never overwrites the live one. */
export function bundleDirectory(files: Record<string, string>): string {
  const all = Object.keys(files)
    .sort()
    .map((name) => `${name}\n${sha256(files[name] ?? '')}`)
    .join('\n');
  return `kasi-hotspot-${sha256(all).slice(0, 10)}`;
}
