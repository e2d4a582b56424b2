// One /my action that sends or checks a code: busy while it runs, the error it ended with (in
// the subscriber's words, with the field it names), and the seconds to wait before another code
// may be asked for — from the server's answer or its Retry-After. Shared by sign-in and the
// phone-number change.
import { MyApiError } from './my-api.ts';
import { errorText } from './my-errors.ts';

export class OtpAction {
  busy = $state(false);
  error = $state<{ text: string; field?: string } | null>(null);
  wait = $state(0);
  #timer: ReturnType<typeof setInterval> | undefined;

  /** Counts `seconds` down to 0, one a second. */
  countdown(seconds: number): void {
    this.wait = seconds;
    clearInterval(this.#timer);
    this.#timer = setInterval(() => {
      this.wait = Math.max(0, this.wait - 1);
      if (this.wait === 0) clearInterval(this.#timer);
    }, 1000);
  }

  async run(fn: () => Promise<void>): Promise<void> {
    this.busy = true;
    this.error = null;
    try {
      await fn();
    } catch (e) {
      this.error = errorText(e);
      if (e instanceof MyApiError && e.retryAfterSeconds) this.countdown(e.retryAfterSeconds);
    } finally {
      this.busy = false;
    }
  }

  /** aria-invalid for a field the last error named. */
  invalid(field: string): 'true' | undefined {
    return this.error?.field === field ? 'true' : undefined;
  }

  dispose(): void {
    clearInterval(this.#timer);
  }
}
