// A one-shot signal a push-fed source hands to its subtask: `next()` gives the promise the subtask
// waits on when the source has nothing; `wake()` settles it when data (or the end) arrives.

export class WakeSignal {
  private pending: { readonly promise: Promise<void>; readonly resolve: () => void } | null = null;

  next(): Promise<void> {
    if (!this.pending) {
      let resolve!: () => void;
      const promise = new Promise<void>((settle) => (resolve = settle));
      this.pending = { promise, resolve };
    }
    return this.pending.promise;
  }

  wake(): void {
    const pending = this.pending;
    if (!pending) return;
    this.pending = null;
    pending.resolve();
  }
}
