// The final checkpoint of a sink chain that ended (Flink's FLIP-147), as ChainSubtask waits for it.
//
// Threading: the task's turn; the commit's promise handlers set `committed` / `failure` only.
/**
 * The final checkpoint a sink chain waits for after its end (FLIP-147): the first checkpoint it takes
 * in that state (an aborted one's transaction waits for the next, which commits both), then the
 * completion of that one or a later one and its commits. `done` settles then (`committed`, or
 * `failure` when a commit failed), or at a cancel. Its fields are set by the commit's handlers.
 */
export class FinalCheckpoint {
  committed = false;
  failure: { readonly error: unknown } | null = null;
  private checkpointId: number | null = null;
  private settle: () => void = () => {};
  readonly done = new Promise<void>((resolve) => (this.settle = resolve));

  taking(checkpointId: number): void {
    this.checkpointId ??= checkpointId;
  }

  /** A checkpoint completed; when it is (or follows) the one taken after the end, its commits end the wait. */
  completed(checkpointId: number, committing: Promise<void> | null): void {
    if (this.checkpointId === null || checkpointId < this.checkpointId) return;
    if (committing === null) {
      this.committed = true;
      this.settle();
      return;
    }
    void committing.then(
      () => {
        this.committed = true;
        this.settle();
      },
      (error: unknown) => {
        this.failure = { error };
        this.settle();
      },
    );
  }

  cancel(): void {
    this.settle();
  }
}
