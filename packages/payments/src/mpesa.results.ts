// Daraja result codes in the words a buyer understands. The page shows these exactly: the
// buyer must know whether to retry, top up, or check the PIN (issue 13, osen-wc-mpesa #73).
export const MPESA_PAID = '0';

const REASONS: Readonly<Record<string, string>> = {
  '1': 'Your M-Pesa balance is not enough for this payment.',
  '17': 'M-Pesa refused a second payment of the same amount within 2 minutes. Wait 2 minutes and try again.',
  '1001': 'Another M-Pesa payment is in progress on this phone. Wait a minute and try again.',
  '1019': 'The request expired before the PIN was entered. Try again.',
  '1025': 'M-Pesa could not send the prompt to your phone. Try again.',
  '9999': 'M-Pesa could not send the prompt to your phone. Try again.',
  '1032': 'You cancelled the payment on your phone.',
  '1037': 'Your phone could not be reached. Check it is on and has signal, then try again.',
  '2001': 'The M-Pesa PIN was wrong. Try again.',
};

/** The human reason for a result code (a fallback quotes M-Pesa's own description). */
export function mpesaReason(code: string, providerDesc?: string | null): string {
  return (
    REASONS[code] ??
    `M-Pesa did not complete the payment (code ${code}${providerDesc ? `: ${providerDesc}` : ''}).`
  );
}

/** API error codes (not result codes) that mean "not final yet" or "try later". */
export const MPESA_IN_PROGRESS = '500.001.1001';
export const MPESA_SPIKE_ARREST = '500.003.02';
export const MPESA_TOKEN_EXPIRED = '404.001.03';
export const MPESA_TOKEN_INVALID = '404.001.04';
