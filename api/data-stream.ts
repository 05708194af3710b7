// DataStream<T>: a stream of records of type T, as the user's program declares it. Each method adds
// one transformation to the environment's StreamGraph; nothing runs until the job is planned and
// deployed. Operators take a function, an object with the method, or a class (see functions.ts).
import { WeirError } from '../messages/errors.ts';
import type { FilterFunction, FilterFunctionLike, FlatMapFunction, FlatMapFunctionLike, MapFunction, MapFunctionLike, SinkFunction, SinkFunctionLike } from './functions.ts';
import type { StreamGraph } from './graph/stream-graph.ts';
import {
  type OperatorFactory,
  type OperatorTransformation,
  type Transformation,
  defaultOperatorId,
  effectiveParallelism,
  setName,
  setParallelism,
  setUid,
} from './graph/transformation.ts';
import { FILTER_KIND, FilterOperator } from './operators/filter.ts';
import { FLAT_MAP_KIND, FlatMapOperator } from './operators/flat-map.ts';
import { MAP_KIND, MapOperator } from './operators/map.ts';
import { type Output, describeOperator } from './runtime/chain.ts';
import { userFunctionFactory } from './runtime/user-function.ts';
import { FUNCTION_SINK_KIND, FunctionSink } from './sinks/function-sink.ts';
import { PRINT_SINK_KIND, PrintSink } from './sinks/print-sink.ts';
import { TEXT_FILE_SINK_KIND, TextFileSink } from './sinks/text-file-sink.ts';

/** What name(), uid() and setParallelism() share between a DataStream and a sink. */
abstract class DeclaredOperator {
  /** Made by the environment or by another stream; not for user code. */
  constructor(
    protected readonly graph: StreamGraph,
    protected readonly transformation: Transformation,
  ) {}

  /** The operator's name in the job graph and in errors. */
  name(name: string): this {
    setName(this.transformation, name);
    return this;
  }

  /** A stable id for the operator (Flink's uid): keep it when the pipeline around it changes. */
  uid(uid: string): this {
    setUid(this.transformation, uid);
    return this;
  }

  /** A source's parallelism, or an operator's, which must equal its input's in this version. */
  setParallelism(parallelism: number): this {
    setParallelism(this.transformation, parallelism);
    return this;
  }

  getParallelism(): number {
    return effectiveParallelism(this.transformation);
  }

  protected declareOperator(role: 'operator' | 'sink', kind: string, name: string, config: Record<string, unknown>, factory: (operator: string) => OperatorFactory): OperatorTransformation {
    const index = this.graph.nextIndex;
    const createOperator = factory(describeOperator({ id: defaultOperatorId(kind, index), name }));
    const transformation: OperatorTransformation = { role, index, kind, name, uid: undefined, parallelism: undefined, config, input: this.transformation, createOperator };
    return this.graph.add(transformation);
  }
}

/** The end of a pipeline: a sink can be named, given a uid and a parallelism, not consumed. */
export class DataStreamSink<T> extends DeclaredOperator {}

export class DataStream<T> extends DeclaredOperator {
  /** One record out per record in. */
  map<R>(fn: MapFunctionLike<T, R>): DataStream<R> {
    const declared = this.declareOperator('operator', MAP_KIND, 'Map', {}, (operator) => {
      const factory = userFunctionFactory<MapFunction<T, R>>(fn, 'map', operator);
      return (runtime, output) => new MapOperator(runtime, factory, output as Output<R>);
    });
    return new DataStream<R>(this.graph, declared);
  }

  /** The records for which `fn` returns true. */
  filter<S extends T>(fn: (value: T) => value is S): DataStream<S>;
  filter(fn: FilterFunctionLike<T>): DataStream<T>;
  filter(fn: FilterFunctionLike<T>): DataStream<T> {
    const declared = this.declareOperator('operator', FILTER_KIND, 'Filter', {}, (operator) => {
      const factory = userFunctionFactory<FilterFunction<T>>(fn, 'filter', operator);
      return (runtime, output) => new FilterOperator(runtime, factory, output as Output<T>);
    });
    return new DataStream<T>(this.graph, declared);
  }

  /** Zero or more records out per record in: emitted through the collector, or returned as an iterable. */
  flatMap<R>(fn: FlatMapFunctionLike<T, R>): DataStream<R> {
    const declared = this.declareOperator('operator', FLAT_MAP_KIND, 'Flat Map', {}, (operator) => {
      const factory = userFunctionFactory<FlatMapFunction<T, R>>(fn, 'flatMap', operator);
      return (runtime, output) => new FlatMapOperator(runtime, factory, output as Output<R>);
    });
    return new DataStream<R>(this.graph, declared);
  }

  /** Prints each record on the subtask's stdout: `value`, or `2> value` when the sink is parallel. */
  print(prefix?: string): DataStreamSink<T> {
    const config = prefix === undefined ? {} : { prefix };
    const declared = this.declareOperator('sink', PRINT_SINK_KIND, 'Sink: Print', config, (operator) => {
      if (prefix !== undefined && typeof prefix !== 'string') {
        throw new WeirError('INVALID_ARGUMENT', `${operator}: print() takes an optional string prefix, got ${typeof prefix}`);
      }
      return (runtime) => new PrintSink(runtime, prefix);
    });
    return new DataStreamSink<T>(this.graph, declared);
  }

  /** Calls the sink's invoke() for each record, with open() and close() around them. */
  sinkTo(sink: SinkFunctionLike<T>): DataStreamSink<T> {
    const declared = this.declareOperator('sink', FUNCTION_SINK_KIND, 'Sink: Function', {}, (operator) => {
      const factory = userFunctionFactory<SinkFunction<T>>(sink, 'invoke', operator);
      return (runtime) => new FunctionSink(runtime, factory);
    });
    return new DataStreamSink<T>(this.graph, declared);
  }

  /** Writes each record as a line to `<directory>/part-<subtaskIndex>`, creating the directory. */
  writeAsText(directory: string): DataStreamSink<T> {
    const declared = this.declareOperator('sink', TEXT_FILE_SINK_KIND, 'Sink: Text File', { directory }, (operator) => {
      if (typeof directory !== 'string' || directory === '') {
        throw new WeirError('INVALID_ARGUMENT', `${operator}: writeAsText() needs a directory path, got ${String(directory)}`);
      }
      return (runtime) => new TextFileSink(runtime, directory);
    });
    return new DataStreamSink<T>(this.graph, declared);
  }
}
