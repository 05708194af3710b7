// What both cluster processes do at their edges: a one-line reason and exit 1 when they cannot start,
// and a clean shutdown on SIGTERM / SIGINT.
import type { ActorSystem } from '../../actors/index.ts';

export function fail(reason: string): never {
  process.stderr.write(`${reason}\n`);
  process.exit(1);
}

/** On SIGTERM / SIGINT: terminates the actor system (tasks stop), then runs `cleanup` (servers, connections), then exits. */
export function exitOnSignals(system: ActorSystem, cleanup: () => Promise<void> = async () => {}): void {
  const stop = (): void => {
    // A second signal, or a shutdown that hangs, ends the process regardless.
    setTimeout(() => process.exit(0), 5_000).unref();
    void system
      .terminate()
      .then(cleanup)
      .finally(() => process.exit(0));
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}
