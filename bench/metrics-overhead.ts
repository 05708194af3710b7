// What metrics collection costs (issue 10, "Performance"): the same embedded job run with collection
// on and off (the internal WEIR_METRICS=off switch, read by each Task as it starts) in pairs, the
// order alternating from pair to pair so that drift on a shared machine hits both sides alike.
// metricsOverheadRatio = 1 - on / off of records per CPU second of this process (the job runs in
// it): on a loaded machine wall-clock throughput swings by tens of percent from run to run, CPU time
// much less. The median over the pairs; wall-clock figures are reported beside it. The per-batch
// record and byte counters of the gates and partitions stay on: a field update per batch of 1000
// records; the switch turns off the rest (time accounting per step, rate sampling, the registry).

/** Pairs of runs (on, off): the median of their ratios is the figure. */
export const OVERHEAD_PAIRS = 7;
/** The target: metrics cost at most this share of throughput. */
export const METRICS_OVERHEAD_TARGET = 0.03;

export interface MetricsOverhead {
  /** 1 - on / off, records per CPU second. */
  readonly metricsOverheadRatio: number;
  /** 1 - on / off, records per wall-clock second. */
  readonly wallClockOverheadRatio: number;
  /** Records per CPU second of each run, in run order. */
  readonly cpuOn: readonly number[];
  readonly cpuOff: readonly number[];
  /** Records per wall-clock second. */
  readonly wallOn: readonly number[];
  readonly wallOff: readonly number[];
}

interface Rates {
  readonly cpu: number;
  readonly wall: number;
}

/** Runs `run` (which returns how many records it moved) OVERHEAD_PAIRS times with metrics on and off each, after a warm-up run. */
export async function measureMetricsOverhead(run: () => Promise<number>, pairs = OVERHEAD_PAIRS): Promise<MetricsOverhead> {
  const previous = process.env.WEIR_METRICS;
  const on: Rates[] = [];
  const off: Rates[] = [];
  try {
    await run();
    for (let pair = 0; pair < pairs; pair++) {
      for (const enabled of pair % 2 === 0 ? [true, false] : [false, true]) {
        if (enabled) delete process.env.WEIR_METRICS;
        else process.env.WEIR_METRICS = 'off';
        (enabled ? on : off).push(await timed(run));
      }
    }
  } finally {
    if (previous === undefined) delete process.env.WEIR_METRICS;
    else process.env.WEIR_METRICS = previous;
  }
  const overhead = (figure: keyof Rates): number => {
    const ratios = on.map((rates, pair) => 1 - rates[figure] / off[pair][figure]).sort((a, b) => a - b);
    return Math.round(ratios[ratios.length >> 1] * 1000) / 1000;
  };
  const rounded = (runs: Rates[], figure: keyof Rates): number[] => runs.map((rates) => Math.round(rates[figure]));
  return {
    metricsOverheadRatio: overhead('cpu'),
    wallClockOverheadRatio: overhead('wall'),
    cpuOn: rounded(on, 'cpu'),
    cpuOff: rounded(off, 'cpu'),
    wallOn: rounded(on, 'wall'),
    wallOff: rounded(off, 'wall'),
  };
}

async function timed(run: () => Promise<number>): Promise<Rates> {
  const cpuBefore = process.cpuUsage();
  const wallBefore = performance.now();
  const records = await run();
  const wallSeconds = (performance.now() - wallBefore) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  return { cpu: records / ((cpu.user + cpu.system) / 1e6), wall: records / wallSeconds };
}
