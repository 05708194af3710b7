// A vertex of a job: GET /jobs/:jobId/vertices/:vertexId (its subtasks with metrics and watermarks),
// .../watermarks and .../backpressure, all from one RequestJobMetrics.
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

  app.get('/jobs/:jobId/vertices/:vertexId/backpressure', async (c) => {
    const { reports } = await vertexMetrics(c, gateway);
    return c.json(vertexBackPressure(reports, now()));
  });
}
