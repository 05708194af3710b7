// sinkTo(sinkFunction): calls the user's invoke() per record (Flink's StreamSink over a SinkFunction).
// invoke() is synchronous: a sink that writes asynchronously buffers itself and flushes in close().
import type { SinkFunction } from '../functions.ts';
import type { OperatorRuntime } from '../runtime/chain.ts';
import type { UserFunctionFactory } from '../runtime/user-function.ts';
import { UdfOperator } from '../operators/udf-operator.ts';

export const FUNCTION_SINK_KIND = 'sink-function';

export class FunctionSink<T> extends UdfOperator<T, SinkFunction<T>> {
  constructor(runtime: OperatorRuntime, factory: UserFunctionFactory<SinkFunction<T>>) {
    super(runtime, factory);
  }

  collect(value: T): void {
    this.tracker.current = this.descriptor;
    this.udf.invoke(value);
  }
}
