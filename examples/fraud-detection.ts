// Fraud detection (Flink's DataStream walkthrough), on event time: per account, a transaction under
// 1.00 sets a flag in keyed state and an event-time timer one minute later; the next transaction of
// that account alerts if it is over 500.00, and in any case clears the flag and deletes the timer;
// the timer clears the flag. Input: JSON lines {"account","ts","amount"} (ts in ms); output: one
// `account<TAB>ts<TAB>amount` line per alert, the amount with two decimals (600.5 -> 600.50).
//
// Event time: the file is read in order by one source subtask, which emits a watermark after every
// transaction: the largest ts read so far - out-of-orderness - 1. The minute is up when the
// watermark reaches the timer at small ts + 60 000 (a timer fires at watermark >= its time, as in
// Flink), that is once a transaction of any account with ts >= small ts + 60 000 + out-of-orderness
// + 1 has been processed (a record goes before the watermark that follows it). So "next" means next
// read, and it alerts if it is over 500.00 and read before that point, whatever its ts: one at
// exactly the timer's time usually is, one a little after it may be, a late one after it is not.
// Late transactions (ts behind the watermark) are processed like any other: only windows drop late
// records. A timer that is already behind the watermark when set fires at the next watermark.
//
// Embedded, on a mini cluster in this process:
//   npx tsx examples/fraud-transactions.ts > /tmp/transactions.jsonl     # sample input, seeded
//   npx tsx examples/fraud-detection.ts --input /tmp/transactions.jsonl --output /tmp/alerts --out-of-orderness 5000
// On a standalone cluster (bin/start-cluster.sh), with absolute paths every TaskManager can read:
//   bin/weir run examples/fraud-detection.ts -p 2 -- --input /tmp/transactions.jsonl --output /tmp/alerts --out-of-orderness 5000
// Without --output the alerts are printed (by the TaskManagers, on a cluster).
import {
  type Collector,
  type JobModule,
  type KeyedProcessContext,
  type KeyedProcessFunction,
  type RuntimeContext,
  StreamExecutionEnvironment,
  type ValueState,
  ValueStateDescriptor,
  WatermarkStrategy,
  isMainModule,
} from '../index.ts';

export interface Transaction {
  readonly account: string;
  /** Event time, ms since the epoch. */
  readonly ts: number;
  /** In currency units, e.g. 600.5. */
  readonly amount: number;
}

const SMALL_AMOUNT = 1.0;
const LARGE_AMOUNT = 500.0;
const ONE_MINUTE = 60_000;

export class FraudDetector implements KeyedProcessFunction<string, Transaction, Transaction> {
  /** Set while the account's last transaction was small (and its minute is not up). */
  private flag!: ValueState<boolean>;
  /** The flag's timer, to delete it when the next transaction comes first. */
  private timer!: ValueState<number>;

  open(context: RuntimeContext): void {
    this.flag = context.getState(new ValueStateDescriptor<boolean>('flag'));
    this.timer = context.getState(new ValueStateDescriptor<number>('timer'));
  }

  processElement(transaction: Transaction, ctx: KeyedProcessContext<string>, out: Collector<Transaction>): void {
    if (this.flag.value() === true) {
      if (transaction.amount > LARGE_AMOUNT) out.collect(transaction);
      ctx.timerService().deleteEventTimeTimer(this.timer.value() as number);
      this.flag.clear();
      this.timer.clear();
    }
    if (transaction.amount < SMALL_AMOUNT) {
      const timer = transaction.ts + ONE_MINUTE;
      ctx.timerService().registerEventTimeTimer(timer);
      this.flag.update(true);
      this.timer.update(timer);
    }
  }

  onTimer(): void {
    this.flag.clear();
    this.timer.clear();
  }
}

/** Flink's bounded out-of-orderness watermarks, emitted after every record rather than periodically. */
export function watermarkAfterEveryRecord(outOfOrdernessMs: number): WatermarkStrategy<Transaction> {
  return WatermarkStrategy.forGenerator<Transaction>(() => {
    let maxTimestamp = Number.NEGATIVE_INFINITY;
    return {
      onEvent: (_transaction, timestamp, output) => {
        if (timestamp > maxTimestamp) maxTimestamp = timestamp;
        output.emitWatermark(maxTimestamp - outOfOrdernessMs - 1);
      },
      onPeriodicEmit: () => {},
    };
  }).withTimestampAssigner((transaction) => transaction.ts);
}

export function parseTransaction(line: string): Transaction {
  const { account, ts, amount } = JSON.parse(line) as Partial<Transaction>;
  if (typeof account !== 'string' || !Number.isSafeInteger(ts) || typeof amount !== 'number') {
    throw new Error(`expected {"account": string, "ts": ms, "amount": number}, got ${line}`);
  }
  return { account, ts: ts as number, amount };
}

export const formatAlert = ({ account, ts, amount }: Transaction): string => `${account}\t${ts}\t${amount.toFixed(2)}`;

const USAGE = 'usage: fraud-detection.ts --input <file> [--output <dir>] [--out-of-orderness <ms>]';

export function parseFraudDetectionArgs(args: readonly string[]): { input: string; output?: string; outOfOrdernessMs: number } {
  const options: { input?: string; output?: string; outOfOrdernessMs: number } = { outOfOrdernessMs: 0 };
  for (let index = 0; index < args.length; index += 2) {
    const [flag, value] = [args[index], args[index + 1]];
    if (value === undefined) throw new Error(`${flag} needs a value; ${USAGE}`);
    if (flag === '--input') options.input = value;
    else if (flag === '--output') options.output = value;
    else if (flag === '--out-of-orderness' && /^\d+$/.test(value)) options.outOfOrdernessMs = Number(value);
    else throw new Error(`unexpected argument ${flag} ${value}; ${USAGE}`);
  }
  if (options.input === undefined) throw new Error(`--input is missing; ${USAGE}`);
  return { ...options, input: options.input };
}

const fraudDetection: JobModule = async (env, args) => {
  const { input, output, outOfOrdernessMs } = parseFraudDetectionArgs(args);
  // One ordered source: reading, parsing and the watermarks chain at parallelism 1.
  const alerts = env
    .readTextFile(input)
    .name('Transactions')
    .setParallelism(1)
    .map(parseTransaction)
    .name('Parse')
    .setParallelism(1)
    .assignTimestampsAndWatermarks(watermarkAfterEveryRecord(outOfOrdernessMs))
    .name('Timestamps')
    .setParallelism(1)
    .keyBy((transaction) => transaction.account)
    .process(FraudDetector)
    .name('Fraud Detector')
    .map(formatAlert)
    .name('Format');
  if (output === undefined) alerts.print();
  else alerts.writeAsText(output).name('Alerts File');
  await env.execute('Fraud Detection');
};

export default fraudDetection;

if (isMainModule(import.meta.url)) await fraudDetection(StreamExecutionEnvironment.getExecutionEnvironment(), process.argv.slice(2));
