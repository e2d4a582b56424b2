// The console preview: the router's pages rendered as a router would fill them, with sample
// variables (a sample MAC, IP, CHAP challenge, error…). A page that uses a variable the sample
// lacks still renders; the gap is logged and returned, so a page change that breaks one shows.
import {
  HOTSPOT_PAGE_NAMES,
  fillRouterVariables,
  hotspotPreviewInput,
  sampleRouterVariables,
} from '@kasi/domain';
import type { z } from 'zod';
import type { Actor, AppContext } from '../app-context.ts';
import { requirePermission } from '../authorize.ts';
import { loadRouter } from '../routers/router.service.ts';
import { bundleFor, hotspotBase } from './hotspot-bundle.ts';
import { kasiUrlOf } from './hotspot-install.service.ts';

export async function previewHotspotPages(
  app: AppContext,
  actor: Actor,
  input: z.input<typeof hotspotPreviewInput>,
) {
  requirePermission(actor, 'router.read');
  const v = hotspotPreviewInput.parse(input);
  const router = await loadRouter(app, actor, v.routerId);
  const files = await bundleFor(app.db, actor.tenantId, {
    base: hotspotBase(kasiUrlOf(app, undefined), 'preview'),
    language: v.language,
    inlineHelper: true,
  });
  const pages = HOTSPOT_PAGE_NAMES.map((name) => {
    const page = name.replace('.html', '');
    const { html, missing } = fillRouterVariables(files[name], sampleRouterVariables(page));
    if (missing.length)
      app.log.warn({ routerId: router.id, page: name, missing }, 'hotspot page preview: variables missing');
    return { name, html, missing };
  });
  return { routerId: router.id, pages };
}
