// A fixture actor for supervision specs: a counter that throws on request and reports its lifecycle.
import { type ActorRef, type Behavior, Behaviors, type SupervisorStrategy, supervise } from '../../actors/index.ts';

export type FragileCounterMsg =
  | { readonly type: 'Increment' }
  | { readonly type: 'Get'; readonly replyTo: ActorRef<number> }
  | { readonly type: 'Crash'; readonly reason: string };

/** A counter that throws on Crash and reports its lifecycle (start, signals) to `events`. */
export function fragileCounter(events: ActorRef<string>, count = 0): Behavior<FragileCounterMsg> {
  return Behaviors.receive<FragileCounterMsg>(
    (_ctx, msg) => {
      switch (msg.type) {
        case 'Increment':
          return fragileCounter(events, count + 1);
        case 'Get':
          msg.replyTo.tell(count);
          return Behaviors.same;
        case 'Crash':
          throw new Error(msg.reason);
      }
    },
    (_ctx, signal) => {
      events.tell(signal.signal);
      return Behaviors.same;
    },
  );
}

/** fragileCounter under `strategy`, reporting 'started' each time its setup runs. */
export function supervised(events: ActorRef<string>, strategy: SupervisorStrategy): Behavior<FragileCounterMsg> {
  return supervise(
    Behaviors.setup<FragileCounterMsg>(() => {
      events.tell('started');
      return fragileCounter(events);
    }),
    strategy,
  );
}

