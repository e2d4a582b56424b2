// Runs tasks one after another in submission order; a failed task does not stop the ones
// queued behind it. Used so that changes to one router never overlap.

export class SerialQueue {
  #tail: Promise<unknown> = Promise.resolve();

  run<T>(task: () => Promise<T>): Promise<T> {
    const result = this.#tail.then(task);
    this.#tail = result.catch(() => undefined);
    return result;
  }
}
