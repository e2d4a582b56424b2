// The agent app's address (`/agent` on this console's origin) and a QR code of it, shown once
// an agent is created so the operator can hand the phone over to scan it. The QR generator
// (the `qrcode` package the server also uses for cards and two-factor set-up) is imported only
// when a QR is drawn: it lands in its own chunk, loaded by no page at start.

/** The address agents open on their phone: this console's origin + `/agent`. */
export const agentAppUrl = (origin: string): string => new URL('/agent', origin).href;

/** An SVG QR code of `text` (black on white, a 2-module quiet zone, error correction M). */
export async function qrSvg(text: string): Promise<string> {
  const { default: QRCode } = await import('qrcode');
  return QRCode.toString(text, { type: 'svg', margin: 2, errorCorrectionLevel: 'M' });
}
