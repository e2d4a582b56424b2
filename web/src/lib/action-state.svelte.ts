// The state of a button that calls the API outside a form (Test connection, Kick, Apply):
// busy while it runs, then a confirmation or a human error message from #lib/errors.ts.
import { handleError, loadErrorTexts } from './errors.ts';

export class ActionState {
  busy = $state(false);
  message = $state('');
  success = $state('');

  /** Runs `action`; resolves to its result, or `undefined` when it failed (message set). */
  async run<R>(action: () => Promise<R>): Promise<R | undefined> {
    this.busy = true;
    this.message = '';
    this.success = '';
    try {
      return await action();
    } catch (e) {
      await loadErrorTexts();
      this.message = handleError(e).message;
      return undefined;
    } finally {
      this.busy = false;
    }
  }
}
