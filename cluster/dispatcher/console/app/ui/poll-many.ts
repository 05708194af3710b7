// Polls several REST paths together (a job's vertices): one round of requests at a time, every
// second, each answer kept by its path.
import { POLL_INTERVAL_MS, type Polled, merge, usePolling } from './poll.ts';
import { useState } from './html.ts';

export function usePollMany<T>(paths: readonly string[], intervalMs = POLL_INTERVAL_MS): ReadonlyMap<string, Polled<T>> {
  const [answers, setAnswers] = useState<ReadonlyMap<string, Polled<T>>>(new Map());
  usePolling<T>(paths.join('\n'), paths, intervalMs, (results) =>
    setAnswers((previous) => {
      const next = new Map<string, Polled<T>>();
      paths.forEach((path, index) => {
        const answer = merge(previous.get(path), results[index] ?? null);
        if (answer) next.set(path, answer);
      });
      return next;
    }),
  );
  return answers;
}
