// The shape of an actor reference, as protocols see it (`replyTo: ActorRef<Reply>`). The actor
// runtime implements it; messages/ only needs the type, so it imports nothing of the runtime.

export interface ActorRef<M> {
  /** Full path: weir://<system>@<host>:<port>/user/<name>... (weir://<system>/... when not remote). */
  readonly path: string;
  tell(msg: M): void;
  /** The same ref, seen as accepting a subset of its protocol. */
  narrow<U extends M>(): ActorRef<U>;
}
