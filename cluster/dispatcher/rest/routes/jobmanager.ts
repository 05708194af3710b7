// GET /jobmanager/metrics, as Flink's: without `get`, the ids of the JobManager process's metrics;
// with `?get=a,b`, those metrics with their values (strings, as Flink gives them). Node's figures
// under Flink's Status.JVM.* names where one fits, Status.Process.* where none does.
import { type ProcessStatus, readProcessStatus } from '../../../metrics/process-metrics.ts';
import { errorResponse } from '../errors.ts';
import type { RestApp } from '../context.ts';

const METRICS: Readonly<Record<string, (status: ProcessStatus) => number>> = {
  'Status.JVM.Memory.Heap.Used': (status) => status.heapUsedBytes,
  'Status.JVM.Memory.Heap.Committed': (status) => status.heapTotalBytes,
  'Status.JVM.Memory.Heap.Max': (status) => status.heapMaxBytes,
  'Status.JVM.Memory.Direct.MemoryUsed': (status) => status.externalBytes,
  'Status.JVM.GarbageCollector.All.Time': (status) => Math.round(status.gcTimeMsTotal),
  'Status.Process.Memory.RSS': (status) => status.rssBytes,
  'Status.Process.Uptime': (status) => Math.round(status.uptimeMs),
};

export function jobManagerRoutes(app: RestApp): void {
  app.get('/jobmanager/metrics', (c) => {
    const get = c.req.query('get');
    if (get === undefined) return c.json(Object.keys(METRICS).map((id) => ({ id })));
    const ids = get.split(',').filter((id) => id !== '');
    const unknown = ids.filter((id) => !Object.hasOwn(METRICS, id));
    if (unknown.length > 0) return errorResponse(c, 400, [`Unknown JobManager metric(s): ${unknown.slice(0, 5).join(', ').slice(0, 300)}; GET /jobmanager/metrics lists them`]);
    const status = readProcessStatus();
    return c.json(ids.map((id) => ({ id, value: String(METRICS[id](status)) })));
  });
}
