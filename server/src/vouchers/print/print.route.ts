// GET /print/runs/:runId.pdf — a print run's cards. The run was made by the `voucher.printRun`
// procedure; `?reprint=1` counts the download as a reprint.
import type { AppContext } from '../../app-context.ts';
import { pdfRouteHandler } from '../../http/pdf-route.ts';
import { renderPrintRun } from './print-run.service.ts';

export const PRINT_PATH_PREFIX = '/print/runs/';
const PATH = /^\/print\/runs\/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\.pdf$/i;

export function voucherPrintHandler(app: AppContext, opts: { compress?: boolean } = {}) {
  return pdfRouteHandler(app, {
    path: PATH,
    name: 'voucher print',
    render: (actor, match, query) =>
      renderPrintRun(app, actor, {
        runId: (match[1] ?? '').toLowerCase(),
        reprint: query.get('reprint') === '1',
        compress: opts.compress,
      }),
  });
}
