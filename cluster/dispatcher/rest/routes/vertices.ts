// A vertex of a job: GET /jobs/:jobId/vertices/:vertexId (its subtasks with metrics and watermarks),
// .../watermarks and .../backpressure, all from one RequestJobMetrics; .../input-watermarks (Weir's
// own) from RequestJobWatermarks.
import type { Context } from 'hono';
import type { JobDetails, VertexDetails } from '../../../../messages/dispatcher.ts';
import type { SubtaskMetricsReport } from '../../../../messages/metrics.ts';
import type { RestApp, RestDependencies } from '../context.ts';
import { notFound } from '../errors.ts';
import type { DispatcherGateway } from '../gateway.ts';
import { idParam, jobIdParam } from '../guards.ts';
import { subtaskEntry, vertexBackPressure } from '../metrics-mappers.ts';
import { vertexDetailsInfo, vertexWatermarks } from '../vertex-mappers.ts';

/** The vertex named by `:vertexId`; 404 naming both ids when the job has no such vertex. */
function vertexOf(c: Context, details: JobDetails): VertexDetails {
  const vertexId = idParam(c, 'vertexId', 'vertex id');
  const vertex = details.vertices.find((candidate) => candidate.id === vertexId);
  if (!vertex) throw notFound(`Vertex ${vertexId} not found in job ${details.job.jobId}`);
  return vertex;
}

/** The vertex and its subtasks' metrics reports. */
async function vertexMetrics(c: Context, gateway: DispatcherGateway): Promise<{ vertex: VertexDetails; reports: SubtaskMetricsReport[] }> {
  const jobId = jobIdParam(c);
  const vertex = vertexOf(c, await gateway.job(jobId));
  const reports = (await gateway.jobMetrics(jobId)).filter((report) => report.vertexId === vertex.id);
  return { vertex, reports };
}

export function vertexRoutes(app: RestApp, { gateway, now }: RestDependencies): void {
  app.get('/jobs/:jobId/vertices/:vertexId', async (c) => {
    const { vertex, reports } = await vertexMetrics(c, gateway);
    return c.json(vertexDetailsInfo(vertex, now(), new Map(reports.map((report) => [report.subtaskIndex, subtaskEntry(report)]))));
  });

  app.get('/jobs/:jobId/vertices/:vertexId/watermarks', async (c) => {
    const { vertex, reports } = await vertexMetrics(c, gateway);
    return c.json(vertexWatermarks(reports, vertex.id));
  });

  // Weir's own: each subtask's inputs and their channels (which upstream subtask holds the watermark
  // back, which are idle), as `weir info` shows them; watermarks as strings, the extremes as
  // "-Infinity" / "Infinity" (JSON has no infinities).
  app.get('/jobs/:jobId/vertices/:vertexId/input-watermarks', async (c) => {
    const jobId = jobIdParam(c);
    const vertex = vertexOf(c, await gateway.job(jobId));
    const subtasks = (await gateway.jobWatermarks(jobId)).filter((report) => report.vertexId === vertex.id);
    return c.body(JSON.stringify({ subtasks }, (_key, value: unknown) => (typeof value === 'number' && !Number.isFinite(value) ? String(value) : value)), 200, {
      'content-type': 'application/json',
    });
  });

  app.get('/jobs/:jobId/vertices/:vertexId/backpressure', async (c) => {
    const { reports } = await vertexMetrics(c, gateway);
    return c.json(vertexBackPressure(reports, now()));
  });
}
