// The base of every operator that runs a user function: it makes the subtask's instance and calls
// the rich function's open() and close(), turning what they throw into errors naming the operator.
import type { RichFunction, RuntimeContext } from '../functions.ts';
import { ChainOperator, type OperatorRuntime, userFunctionError } from '../runtime/chain.ts';
import type { UserFunctionFactory } from '../runtime/user-function.ts';

export abstract class UdfOperator<T, F extends RichFunction> extends ChainOperator<T> {
  /** The subtask's instance of the user function; only this operator calls it. */
  protected readonly udf: F;
  private readonly runtimeContext: RuntimeContext;

  constructor(runtime: OperatorRuntime, factory: UserFunctionFactory<F>) {
    super(runtime);
    this.runtimeContext = runtime.runtimeContext;
    try {
      this.udf = factory();
    } catch (error) {
      throw userFunctionError(runtime.descriptor, 'failed in its constructor', error);
    }
  }

  override async open(): Promise<void> {
    if (!this.udf.open) return;
    try {
      await this.udf.open(this.runtimeContext);
    } catch (error) {
      throw userFunctionError(this.descriptor, 'failed in open()', error);
    }
  }

  override async close(): Promise<void> {
    if (!this.udf.close) return;
    try {
      await this.udf.close();
    } catch (error) {
      throw userFunctionError(this.descriptor, 'failed in close()', error);
    }
  }
}
