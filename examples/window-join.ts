// A window join (Flink's WindowJoin example): two generated streams, people's grades and people's
// salaries, each record with its event time, joined on the name in tumbling event-time windows.
// Every grade of a name in a window meets every salary of that name in the same window; a name
// with records on one side only joins nothing there. Each result is printed (or written) with its
// window: the join emits it at the window's end, with the window's last millisecond as its time.
//
// Embedded, on a mini cluster in this process:
//   npx tsx examples/window-join.ts                                   # 20 of each, windows of 2000 ms
//   npx tsx examples/window-join.ts --records 100 --window 1000 --output /tmp/joined
// On a standalone cluster (bin/start-cluster.sh): printed by the TaskManagers, or written there.
//   bin/weir run examples/window-join.ts -p 2 -- --records 100
import { type JobModule, StreamExecutionEnvironment, TumblingEventTimeWindows, WatermarkStrategy, isMainModule } from '../index.ts';

export interface Grade {
  readonly name: string;
  readonly grade: number;
  readonly time: number;
}

export interface Salary {
  readonly name: string;
  readonly salary: number;
  readonly time: number;
}

export const NAMES = ['tom', 'jerry', 'alice', 'bob', 'john', 'grace'] as const;
/** Event time between two grades, and between two salaries: the streams run at different rates. */
export const GRADE_EVERY_MS = 250;
export const SALARY_EVERY_MS = 400;

/** The n-th grade: a name and a grade from 1 to 5 that look random, and are the same every run. */
export function grade(n: number): Grade {
  return { name: NAMES[scramble(n, 1) % NAMES.length], grade: 1 + (scramble(n, 2) % 5), time: n * GRADE_EVERY_MS };
}

/** The n-th salary: a name and a salary from 1000 to 10000. */
export function salary(n: number): Salary {
  return { name: NAMES[scramble(n, 3) % NAMES.length], salary: 1000 * (1 + (scramble(n, 4) % 10)), time: n * SALARY_EVERY_MS };
}

/** A 32-bit integer hash of (n, salt): the example's stand-in for a random generator. */
function scramble(n: number, salt: number): number {
  let hash = Math.imul(n + 1, 0x9e3779b1) ^ Math.imul(salt, 0x85ebca6b);
  hash = Math.imul(hash ^ (hash >>> 15), 0x2c1b3c6d);
  return (hash ^ (hash >>> 12)) >>> 0;
}

export interface WindowJoinOptions {
  readonly records: number;
  readonly windowMs: number;
  readonly output: string | null;
}

const USAGE = 'usage: window-join.ts [--records <n>] [--window <ms>] [--output <directory>]';

export function parseOptions(args: readonly string[]): WindowJoinOptions {
  let options: WindowJoinOptions = { records: 20, windowMs: 2_000, output: null };
  for (let index = 0; index < args.length; index += 2) {
    const [flag, value] = [args[index], args[index + 1]];
    if (value === undefined) throw new Error(`${flag} needs a value; ${USAGE}`);
    if (flag === '--output') options = { ...options, output: value };
    else if ((flag === '--records' || flag === '--window') && /^[1-9]\d*$/.test(value)) options = { ...options, [flag === '--records' ? 'records' : 'windowMs']: Number(value) };
    else throw new Error(`unexpected arguments ${flag} ${value}; ${USAGE}`);
  }
  return options;
}

const windowJoin: JobModule = async (env, args) => {
  const { records, windowMs, output } = parseOptions(args);
  const grades = env
    .fromSequence(0, records - 1)
    .map(grade)
    .name('Grades')
    .assignTimestampsAndWatermarks(WatermarkStrategy.forMonotonousTimestamps<Grade>().withTimestampAssigner((value) => value.time));
  const salaries = env
    .fromSequence(0, records - 1)
    .map(salary)
    .name('Salaries')
    .assignTimestampsAndWatermarks(WatermarkStrategy.forMonotonousTimestamps<Salary>().withTimestampAssigner((value) => value.time));
  const joined = grades
    .join(salaries)
    .where((value) => value.name)
    .equalTo((value) => value.name)
    .window(TumblingEventTimeWindows.of(windowMs))
    .apply((g, s) => `${g.name}\tgrade ${g.grade}\tsalary ${s.salary}`)
    .process<string>((line, ctx, out) => {
      const end = (ctx.timestamp() as number) + 1;
      out.collect(`[${end - windowMs},${end})\t${line}`);
    })
    .name('With Window');
  if (output === null) joined.print();
  else joined.writeAsText(output);
  await env.execute('Window Join');
};

export default windowJoin;

if (isMainModule(import.meta.url)) await windowJoin(StreamExecutionEnvironment.getExecutionEnvironment(), process.argv.slice(2));
