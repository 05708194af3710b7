// A one-shot signal a push-fed source hands to its subtask: `next()` gives the promise the subtask
// waits on when the source has nothing; `wake()` settles it when data (or the end) arrives.

export class WakeSignal {
  private waiter: { readonly promise: Promise<void>; readonly resolve: () => void } | null = null;

  next(): Promise<void> {
    if (!this.waiter) {
      let resolve!: () => void;
      const promise = new Promise<void>((settle) => (resolve = settle));
      this.waiter = { promise, resolve };
    }
    return this.waiter.promise;
  }

  /** Whether a next() promise is waiting to be woken. */
  get pending(): boolean {
    return this.waiter !== null;
  }

  wake(): void {
    const pending = this.waiter;
    if (!pending) return;
    this.waiter = null;
    pending.resolve();
  }
}
