// An OperatorRuntime for an operator built by hand (Flink's operator test harnesses in miniature):
// its main output, each side output and its watermarks are recorded in one ordered list of elements,
// `label@timestamp` for a record (`tag:label@timestamp` for a side output's) and `wm:<w>` for a
// watermark; the processing-time clock is a manual one.
import type { RuntimeMode } from '../../../messages/job-graph.ts';
import type { WatermarkStatus } from '../../../api/eventtime/watermark.ts';
import { type OperatorRuntime, type Output, describeOperator } from '../../../api/runtime/chain.ts';
import { OperatorRuntimeContext } from '../../../api/runtime/operator-runtime-context.ts';
import { ManualProcessingTimeService } from '../../../api/runtime/time/manual-processing-time-service.ts';
import { fakeContext } from '../helpers.ts';

export interface HarnessOptions {
  readonly id: string;
  readonly name: string;
  readonly runtimeMode?: RuntimeMode;
  readonly subtaskIndex?: number;
  readonly parallelism?: number;
}

export class OperatorHarness {
  /** Every element the operator emitted, in order. */
  readonly elements: string[] = [];
  readonly clock = new ManualProcessingTimeService();
  readonly runtime: OperatorRuntime;
  /** The operator's main output, to build it with. */
  readonly output: Output<unknown>;

  constructor(
    options: HarnessOptions,
    private readonly label: (record: unknown) => string = String,
  ) {
    const subtask = fakeContext({ subtaskIndex: options.subtaskIndex ?? 0, parallelism: options.parallelism ?? 1, processingTimeService: this.clock });
    const descriptor = { id: options.id, kind: options.id.replace(/-\d+$/, ''), name: options.name, config: {} };
    this.output = this.recorder('');
    const sideOutputs = new Map<string, Output<unknown>>();
    this.runtime = {
      descriptor,
      tracker: { current: null },
      subtask,
      runtimeContext: new OperatorRuntimeContext(subtask, options.name, describeOperator(descriptor)),
      runtimeMode: options.runtimeMode ?? 'STREAMING',
      autoWatermarkIntervalMs: 0,
      objectReuse: false,
      sideOutput: (tag) => sideOutputs.get(tag) ?? sideOutputs.set(tag, this.recorder(`${tag}:`)).get(tag)!,
      eventOutput: this.output,
    };
  }

  /** The records emitted since the last call (main and side outputs, not watermarks), and forgets them. */
  takeRecords(): string[] {
    const records = this.elements.filter((element) => !element.startsWith('wm:') && !element.startsWith('status:'));
    this.elements.length = 0;
    return records;
  }

  private recorder(prefix: string): Output<unknown> {
    const elements = this.elements;
    const label = this.label;
    return {
      collect: (value, timestamp) => void elements.push(`${prefix}${label(value)}@${String(timestamp)}`),
      emitWatermark: (watermark) => void elements.push(`wm:${watermark}`),
      emitWatermarkStatus: (status: WatermarkStatus) => void elements.push(`status:${status}`),
    };
  }
}
