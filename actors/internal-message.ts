// Messages the runtime puts in a mailbox on an actor's behalf (timer ticks, adapted replies, piped
// promise results). They are unwrapped in the actor's own turn, so a cancelled timer's tick already
// queued is dropped and an adapter function runs under the actor's supervision.

export const SKIP: unique symbol = Symbol('weir.skip');

export abstract class InternalMessage {
  /** What was sent, for traces and dead letters (SKIP: nothing worth reporting). */
  abstract readonly original: unknown;
  /** The message for the behavior, or SKIP to drop it. */
  abstract unwrap(): unknown;
}

/** A message that becomes the actor's own message by `adapt`, run in the actor's turn. */
export class AdaptedMessage extends InternalMessage {
  constructor(
    private readonly adapt: () => unknown,
    readonly original: unknown,
  ) {
    super();
  }

  unwrap(): unknown {
    return this.adapt();
  }
}

/**
 * How a piped promise's outcome shows in traces and dead letters before its actor turns it into a
 * message: the settled value itself says nothing there ("undefined", "Array").
 */
export const PIPED_VALUE = Object.freeze({ type: 'PipedResult' });
export const PIPED_ERROR = Object.freeze({ type: 'PipedFailure' });
