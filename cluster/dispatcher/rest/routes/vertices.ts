// A vertex of a job: GET /jobs/:jobId/vertices/:vertexId, .../watermarks and .../backpressure.
import type { JobDetails, VertexDetails } from '../../../../messages/dispatcher.ts';
import type { RestApp, RestDependencies } from '../context.ts';
import { notFound } from '../errors.ts';
import { idParam, jobIdParam } from '../guards.ts';
import type { Context } from 'hono';
import { vertexDetailsInfo, vertexWatermarks, watermarkJson } from '../vertex-mappers.ts';

/** The vertex named by `:vertexId`; 404 naming both ids when the job has no such vertex. */
function vertexOf(c: Context, details: JobDetails): VertexDetails {
  const vertexId = idParam(c, 'vertexId', 'vertex id');
  const vertex = details.vertices.find((candidate) => candidate.id === vertexId);
  if (!vertex) throw notFound(`Vertex ${vertexId} not found in job ${details.job.jobId}`);
  return vertex;
}

export function vertexRoutes(app: RestApp, { gateway, now }: RestDependencies): void {
  app.get('/jobs/:jobId/vertices/:vertexId', async (c) => {
    const jobId = jobIdParam(c);
    const details = await gateway.job(jobId);
    const vertex = vertexOf(c, details);
    const reports = await gateway.watermarks(jobId);
    const extras = new Map<number, Record<string, unknown>>();
    for (const report of reports) {
      if (report.vertexId !== vertex.id) continue;
      extras.set(report.subtaskIndex, {
        watermarks: { input: watermarkJson(report.watermarks?.inputWatermark), output: watermarkJson(report.watermarks?.outputWatermark) },
      });
    }
    return c.json(vertexDetailsInfo(vertex, now(), extras));
  });

  app.get('/jobs/:jobId/vertices/:vertexId/watermarks', async (c) => {
    const jobId = jobIdParam(c);
    const vertex = vertexOf(c, await gateway.job(jobId));
    return c.json(vertexWatermarks(await gateway.watermarks(jobId), vertex.id));
  });
}
