// GET /pdf/invoices/:id.pdf and /pdf/receipts/:paymentId.pdf — plain HTTP because the
// browser opens the PDF directly (new tab, print dialog). Same session cookie as the API;
// the services authorise (billing.read) like every other read.
import type { AppContext } from '../app-context.ts';
import { pdfRouteHandler } from '../http/pdf-route.ts';
import { invoicePdf, receiptPdf } from './billing-pdf.service.ts';

export const BILLING_PDF_PREFIX = '/pdf/';
const PATH =
  /^\/pdf\/(invoices|receipts)\/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\.pdf$/i;

export function billingPdfHandler(app: AppContext) {
  return pdfRouteHandler(app, {
    path: PATH,
    name: 'billing pdf',
    render: (actor, match) => {
      const id = (match[2] ?? '').toLowerCase();
      return match[1] === 'invoices' ? invoicePdf(app, actor, id) : receiptPdf(app, actor, id);
    },
  });
}
