// What every stream handle shares: the settings of the operator that produces it (name, uid,
// parallelism, chaining) and the helpers that declare the next transformation. Settings apply to an
// operator only; on a virtual step (keyBy, union, a partitioning) they fail with INVALID_ARGUMENT.
import type { StreamGraph } from './graph/stream-graph.ts';
import {
  type CombinerSpec,
  type OperatorFactory,
  type OperatorTransformation,
  type Transformation,
  type VirtualTransformation,
  defaultOperatorId,
  parallelismOf,
  setChaining,
  setName,
  setParallelism,
  setUid,
} from './graph/transformation.ts';
import { describeOperator } from './runtime/chain.ts';

export interface OperatorDeclaration {
  readonly role: 'operator' | 'sink';
  readonly kind: string;
  readonly name: string;
  readonly config?: Readonly<Record<string, unknown>>;
  /** Defaults to this stream alone. */
  readonly inputs?: readonly Transformation[];
  /** Gets the operator's description for planning errors (`operator "Map" (id "map-1")`). */
  readonly factory: (operator: string) => OperatorFactory;
  readonly combiner?: (operator: string) => CombinerSpec;
}

export abstract class DeclaredOperator {
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

  /** The operator's parallelism; one other than its input's makes a network exchange (rebalance by default). */
  setParallelism(parallelism: number): this {
    setParallelism(this.transformation, parallelism);
    return this;
  }

  getParallelism(): number {
    return parallelismOf(this.transformation);
  }

  /** The operator runs in a task of its own: chained neither to its input nor to what follows it. */
  disableChaining(): this {
    setChaining(this.transformation, 'never', 'disableChaining()');
    return this;
  }

  /** The operator starts a new chain: not chained to its input, but what follows may chain to it. */
  startNewChain(): this {
    setChaining(this.transformation, 'head', 'startNewChain()');
    return this;
  }

  protected declareOperator(declaration: OperatorDeclaration): OperatorTransformation {
    return declareOperator(this.graph, { inputs: [this.transformation], ...declaration });
  }

  /** Adds a virtual step; `make` gets its index. */
  protected declareVirtual<V extends VirtualTransformation>(make: (index: number) => V): V {
    return this.graph.add(make(this.graph.nextIndex));
  }
}

/** Adds an operator to the graph with the environment's current parallelism. */
export function declareOperator(graph: StreamGraph, declaration: OperatorDeclaration & { readonly inputs: readonly Transformation[] }): OperatorTransformation {
  const index = graph.nextIndex;
  const operator = describeOperator({ id: defaultOperatorId(declaration.kind, index), name: declaration.name });
  const createOperator = declaration.factory(operator);
  const combiner = declaration.combiner?.(operator);
  const transformation: OperatorTransformation = {
    role: declaration.role,
    index,
    kind: declaration.kind,
    name: declaration.name,
    uid: undefined,
    parallelism: graph.defaultParallelism,
    chaining: 'always',
    config: declaration.config ?? {},
    inputs: declaration.inputs,
    createOperator,
    ...(combiner ? { combiner } : {}),
  };
  return graph.add(transformation);
}
