// The StreamGraph: every transformation the user's program declared, in declaration order (which is
// topological: an operator is declared after its input). Sealed once planned, so a program that
// keeps adding operators later (after an un-awaited promise) fails loudly instead of planning
// differently on each TaskManager.
import { WeirError } from '../../messages/errors.ts';
import { type Transformation, describeTransformation } from './transformation.ts';

export class StreamGraph {
  private readonly declared: Transformation[] = [];
  private sealed = false;
  /** The environment's parallelism now: what an operator declared next gets (set by the environment). */
  defaultParallelism = 1;

  /** The index the next transformation gets: its position in the pipeline. */
  get nextIndex(): number {
    return this.declared.length;
  }

  get transformations(): readonly Transformation[] {
    return this.declared;
  }

  add<T extends Transformation>(transformation: T): T {
    if (this.sealed) {
      throw new WeirError(
        'INVALID_PIPELINE',
        `${describeTransformation(transformation)} was declared after the job was planned: build the whole pipeline before the job module returns (await what it waits for)`,
      );
    }
    if (transformation.index !== this.declared.length) {
      throw new WeirError('INVALID_PIPELINE', `${describeTransformation(transformation)} has index ${transformation.index}, expected ${this.declared.length}`);
    }
    this.declared.push(transformation);
    return transformation;
  }

  seal(): void {
    this.sealed = true;
  }
}
