// The job routes: GET /jobs, /jobs/overview, /jobs/:jobId, /jobs/:jobId/exceptions,
// /jobs/:jobId/checkpoints, and PATCH /jobs/:jobId?mode=cancel.
import { checkpointingStatistics } from '../checkpoint-mappers.ts';
import type { RestApp, RestDependencies } from '../context.ts';
import { RestError, badRequest, notFound } from '../errors.ts';
import { jobExceptionsInfo } from '../exception-mappers.ts';
import { jobIdParam } from '../guards.ts';
import { jobDetailsInfo, jobIdsWithStatus, jobOverviewEntry } from '../job-mappers.ts';
import { vertexMetricsById } from '../metrics-mappers.ts';

export function jobRoutes(app: RestApp, { gateway, now }: RestDependencies): void {
  app.get('/jobs', async (c) => c.json(jobIdsWithStatus(await gateway.jobs())));

  app.get('/jobs/overview', async (c) => {
    const jobs = await gateway.jobs();
    // One ask per job for its subtasks' states; a job gone in between is left out.
    const details = await Promise.all(jobs.map((job) => gateway.job(job.jobId).catch(() => null)));
    const at = now();
    return c.json({ jobs: details.flatMap((entry) => (entry ? [jobOverviewEntry(entry, at)] : [])) });
  });

  app.get('/jobs/:jobId', async (c) => {
    const jobId = jobIdParam(c);
    // The vertices' metrics are a second ask: a cluster too slow to give them still shows the job.
    const [details, metrics] = await Promise.all([gateway.job(jobId), gateway.jobMetrics(jobId).catch(() => [])]);
    return c.json(jobDetailsInfo(details, now(), vertexMetricsById(metrics)));
  });

  app.get('/jobs/:jobId/exceptions', async (c) => c.json(jobExceptionsInfo(await gateway.job(jobIdParam(c)))));

  app.get('/jobs/:jobId/checkpoints', async (c) => {
    const details = await gateway.job(jobIdParam(c));
    if (!details.checkpoints) throw notFound(`Checkpointing has not been enabled for job ${details.job.jobId}`);
    return c.json(checkpointingStatistics(details, details.checkpoints));
  });

  // Flink's cancel: 202 once the Dispatcher took it; the job ends CANCELED soon after.
  app.patch('/jobs/:jobId', async (c) => {
    const jobId = jobIdParam(c);
    const mode = c.req.query('mode') ?? 'cancel';
    if (mode !== 'cancel') throw badRequest(`invalid mode "${mode}": expected "cancel"`);
    await gateway.job(jobId); // 404 for an unknown job
    const reply = await gateway.cancel(jobId);
    if (reply.type === 'CancellationFailure') throw new RestError(409, [`cannot cancel job ${jobId}: ${reply.reason}`]);
    return c.json({}, 202);
  });
}
