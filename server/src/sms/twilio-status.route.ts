// POST /hooks/twilio/status?job=ID (the pg-boss job id) — Twilio's delivery reports for receipts. Outside tRPC:
// the form body is checked against X-Twilio-Signature, computed over the URL Twilio was
// given, i.e. the configured public URL (a proxy in front changes what this process sees).
import type { IncomingMessage, ServerResponse } from 'node:http';
import twilio from 'twilio';
import type { AppContext } from '../app-context.ts';
import { recordDelivery } from './delivery-status.ts';

export const TWILIO_STATUS_PATH = '/hooks/twilio/status';
const MAX_BODY = 64 * 1024;

export const isTwilioStatusPath = (url: string) =>
  url === TWILIO_STATUS_PATH || url.startsWith(`${TWILIO_STATUS_PATH}?`);

export const twilioStatusUrl = (publicUrl: string, jobId: string) =>
  `${publicUrl.replace(/\/+$/, '')}${TWILIO_STATUS_PATH}?job=${jobId}`;

async function readForm(req: IncomingMessage): Promise<Record<string, string> | null> {
  let size = 0;
  const chunks: Buffer[] = [];
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY) return null;
    chunks.push(chunk);
  }
  return Object.fromEntries(new URLSearchParams(Buffer.concat(chunks).toString('utf8')));
}

function answer(res: ServerResponse, status: number, text = ''): void {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' }).end(text);
}

export function twilioStatusHandler(app: AppContext, opts: { authToken: string; publicUrl: string }) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    if (req.method !== 'POST') return answer(res, 405, 'POST only');
    try {
      const params = await readForm(req);
      if (!params) return answer(res, 413, 'Too large');
      const url = `${opts.publicUrl.replace(/\/+$/, '')}${req.url ?? ''}`;
      const signature = req.headers['x-twilio-signature'];
      if (typeof signature !== 'string' || !twilio.validateRequest(opts.authToken, signature, url, params)) {
        app.log.warn({ path: TWILIO_STATUS_PATH }, 'Twilio callback with a bad signature refused');
        return answer(res, 403, 'Bad signature');
      }
      const jobId = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.exec(
        new URL(url).searchParams.get('job') ?? '',
      )?.[0];
      const { MessageSid: messageSid, MessageStatus: status, ErrorCode: errorCode } = params;
      // Signed but not ours to record (no job, no sid): acknowledge so Twilio does not retry.
      if (jobId && messageSid && status) {
        await recordDelivery(app.db, {
          jobId,
          messageSid,
          status,
          errorCode: errorCode || null,
        });
      }
      answer(res, 204);
    } catch (err) {
      app.log.error({ err }, 'Twilio status callback failed');
      if (!res.headersSent) answer(res, 500);
    }
  };
}
