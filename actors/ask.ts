// ask(ref, replyTo => request, timeoutMs): request-response from outside an actor.
import { type ActorRef, asBaseRef } from './actor-ref.ts';

/** Resolves with the reply; rejects with ASK_TIMEOUT naming the target and the request type. */
export function ask<Req, Res>(target: ActorRef<Req>, makeRequest: (replyTo: ActorRef<Res>) => Req, timeoutMs: number): Promise<Res> {
  return asBaseRef(target).system.ask(target, makeRequest, timeoutMs);
}
