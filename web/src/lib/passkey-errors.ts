// What a failed passkey ceremony says to the person: the browser's own refusals (cancelled,
// timed out, this authenticator is already registered), in the console's language; the server's
// refusals (PASSKEY.*, AUTH.PASSKEY_REFUSED…) are worded by their code like every other error.
import { handleError, loadErrorTexts } from './errors.ts';
import { m } from './i18n/locale.ts';

/** The browser's WebAuthn refusals, by DOMException name (kept by @simplewebauthn/browser). */
function browserRefusal(e: unknown): string | null {
  const name = e instanceof Error || e instanceof DOMException ? e.name : '';
  if (name === 'NotAllowedError' || name === 'AbortError' || name === 'TimeoutError') {
    return m.console_passkeys_cancelled();
  }
  if (name === 'InvalidStateError') return m.console_passkeys_already_added();
  if (name === 'NotSupportedError') return m.console_passkeys_unsupported();
  return null;
}

export async function passkeyFailure(e: unknown): Promise<string> {
  const browser = browserRefusal(e);
  if (browser) return browser;
  await loadErrorTexts();
  return handleError(e).message;
}

/** WebAuthn needs the browser's PublicKeyCredential (and a secure context: https or localhost). */
export const passkeysSupported = (): boolean =>
  typeof window !== 'undefined' && window.isSecureContext && typeof window.PublicKeyCredential === 'function';
