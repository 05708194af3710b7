// After keyBy, a rich map, filter or flatMap may use keyed state (as in Flink): each record's key is
// current while its function runs.
import test from 'ava';
import { type RuntimeContext, StreamExecutionEnvironment, type ValueState, ValueStateDescriptor } from '../../../index.ts';

const words = ['a', 'b', 'a', 'c', 'a', 'b'];

async function collect<R>(build: (env: StreamExecutionEnvironment) => { executeAndCollect(): AsyncIterable<R> }): Promise<R[]> {
  const env = StreamExecutionEnvironment.getExecutionEnvironment();
  env.setParallelism(2);
  const out: R[] = [];
  for await (const value of build(env).executeAndCollect()) out.push(value);
  return out;
}

class Occurrence {
  private seen!: ValueState<number>;
  open(context: RuntimeContext): void {
    this.seen = context.getState(new ValueStateDescriptor<number>('seen'));
  }
  next(): number {
    const count = (this.seen.value() ?? 0) + 1;
    this.seen.update(count);
    return count;
  }
}

test('a rich map after keyBy counts per key with ValueState', async (t) => {
  class Numbered extends Occurrence {
    map(word: string): string {
      return `${word}${this.next()}`;
    }
  }
  const out = await collect((env) => env.fromCollection(words).setParallelism(1).keyBy((word) => word).map(Numbered));
  t.deepEqual(out.sort(), ['a1', 'a2', 'a3', 'b1', 'b2', 'c1']);
});

test('a rich filter and flatMap after keyBy see their own key\'s state', async (t) => {
  class FirstOnly extends Occurrence {
    filter(): boolean {
      return this.next() === 1;
    }
  }
  t.deepEqual((await collect((env) => env.fromCollection(words).setParallelism(1).keyBy((word) => word).filter(FirstOnly))).sort(), ['a', 'b', 'c']);
  class Repeat extends Occurrence {
    flatMap(word: string): string[] {
      return Array.from({ length: this.next() }, () => word);
    }
  }
  t.deepEqual((await collect((env) => env.fromCollection(words).setParallelism(1).keyBy((word) => word).flatMap(Repeat))).sort(), ['a', 'a', 'a', 'a', 'a', 'a', 'b', 'b', 'b', 'c']);
});
