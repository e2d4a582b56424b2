// The state every form shares: field errors, a form-level message and a busy flag,
// with one submit path so validation and API failures are shown the same way.
import { tick } from 'svelte';
import { handleError, loadErrorTexts, type FieldErrors } from './errors.ts';
import type { Parsed } from './form-input.ts';
import { m } from './i18n/locale.ts';

export class FormState {
  errors = $state<FieldErrors>({});
  message = $state('');
  /** Confirmation of the last success, for forms that stay on screen afterwards. */
  success = $state('');
  busy = $state(false);

  /**
   * Handles a submit event: shows validation errors, or runs `action` with the valid value.
   * Resolves to the action's result, or `undefined` if anything failed.
   */
  async submit<T, R>(
    event: SubmitEvent,
    parsed: Parsed<T>,
    action: (value: T) => Promise<R>,
  ): Promise<R | undefined> {
    event.preventDefault();
    const formElement = event.currentTarget instanceof HTMLFormElement ? event.currentTarget : null;
    this.message = '';
    this.success = '';
    if (!parsed.ok) {
      this.fail(parsed.errors, m.console_shell_correct_fields(), formElement);
      return undefined;
    }
    this.errors = {};
    this.busy = true;
    try {
      return await action(parsed.value);
    } catch (e) {
      await loadErrorTexts();
      const ui = handleError(e);
      this.fail(ui.fields, ui.message, formElement);
      return undefined;
    } finally {
      this.busy = false;
    }
  }

  private fail(errors: FieldErrors, message: string, formElement: HTMLFormElement | null): void {
    this.errors = errors;
    this.message = message;
    // On a phone the first wrong field is often scrolled out of view: take the person there.
    void tick().then(() => formElement?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus());
  }
}
