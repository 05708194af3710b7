// The TaskManagers' charts: the last minutes of each TaskManager's figures, kept in the browser
// (the REST API answers with the present only). One bounded list per TaskManager.
import { BoundedList } from './bounded-list.ts';

/** Five minutes of one-second polls. */
export const HISTORY_SAMPLES = 300;

export interface Sample {
  /** Epoch ms. */
  readonly at: number;
  readonly values: readonly (number | null)[];
}

export class MetricHistory {
  private readonly lists = new Map<string, BoundedList<Sample>>();

  constructor(private readonly capacity = HISTORY_SAMPLES) {}

  /** Adds a sample unless it is not newer than the last (the same answer seen twice). */
  record(key: string, sample: Sample): void {
    let list = this.lists.get(key);
    if (!list) {
      list = new BoundedList<Sample>(this.capacity);
      this.lists.set(key, list);
    }
    const last = list.at(list.size - 1);
    if (last && sample.at <= last.at) return;
    list.push(sample);
  }

  /** uPlot's aligned data: x in seconds, then one array per figure (null where unknown). */
  aligned(key: string, figures: number): [number[], ...(number | null)[][]] {
    const samples = this.lists.get(key)?.toArray() ?? [];
    const columns: (number | null)[][] = Array.from({ length: figures }, () => []);
    for (const sample of samples) for (let index = 0; index < figures; index++) (columns[index] as (number | null)[]).push(sample.values[index] ?? null);
    return [samples.map((sample) => sample.at / 1000), ...columns];
  }

  size(key: string): number {
    return this.lists.get(key)?.size ?? 0;
  }
}
