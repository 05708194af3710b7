// The window function of a window coGroup (Flink's CoGroupWindowFunction): when a window fires, its
// tagged records are split by input, each side in arrival order, and the CoGroupFunction gets both
// sides at once. A window fires only when it holds a record, so at most one side is empty.
import type { Collector, CoGroupFunction, RuntimeContext } from '../functions.ts';
import type { ProcessWindowContext, ProcessWindowFunction } from '../windowing/functions/process-window-function.ts';
import { closeAll, openAll } from '../windowing/functions/rich-functions.ts';
import type { Window } from '../windowing/windows/window.ts';
import type { TaggedUnion } from './tagged-union.ts';

export class CoGroupWindowFunction<A, B, R, K, W extends Window> implements ProcessWindowFunction<TaggedUnion<A, B>, R, K, W> {
  constructor(private readonly fn: CoGroupFunction<A, B, R>) {}

  process(_key: K, _context: ProcessWindowContext<W>, elements: Iterable<TaggedUnion<A, B>>, out: Collector<R>): void {
    const first: A[] = [];
    const second: B[] = [];
    for (const element of elements) {
      if (element.input === 1) first.push(element.value);
      else second.push(element.value);
    }
    this.fn.coGroup(first, second, out);
  }

  open(context: RuntimeContext): Promise<void> {
    return openAll([this.fn], context);
  }

  close(): Promise<void> {
    return closeAll([this.fn]);
  }
}
