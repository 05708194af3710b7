// OutputTag<X>: names a side output of a process function and the type of its records (Flink's
// OutputTag). `ctx.output(tag, value)` emits to it; `stream.getSideOutput(tag)` reads it. Two tags
// with the same id are the same side output.
import { WeirError } from '../messages/errors.ts';
import type { SideOutputTag } from './functions.ts';

export class OutputTag<X> implements SideOutputTag<X> {
  declare readonly __type?: X;

  constructor(readonly id: string) {
    if (typeof id !== 'string' || id === '') throw new WeirError('INVALID_ARGUMENT', `an OutputTag needs a non-empty string id, got ${String(id)}`);
  }
}
