// GET /overview (Flink's ClusterOverviewWithVersion) and GET /config (its DashboardConfiguration).
import { jobCounts } from '../job-mappers.ts';
import type { RestApp, RestDependencies } from '../context.ts';

/** How often Flink's dashboard refreshes (web.refresh-interval), which /config reports to a console. */
export const REFRESH_INTERVAL_MS = 3_000;

export function clusterRoutes(app: RestApp, { gateway, now, version }: RestDependencies): void {
  app.get('/overview', async (c) => {
    const [info, jobs] = await Promise.all([gateway.clusterInfo(), gateway.jobs()]);
    return c.json({
      taskmanagers: info.taskManagers,
      'slots-total': info.slotsTotal,
      'slots-available': info.slotsFree,
      ...jobCounts(jobs),
      'weir-version': version,
    });
  });

  app.get('/config', (c) => {
    const offsetMinutes = -new Date(now()).getTimezoneOffset();
    return c.json({
      'refresh-interval': REFRESH_INTERVAL_MS,
      'timezone-name': Intl.DateTimeFormat().resolvedOptions().timeZone,
      'timezone-offset': offsetMinutes * 60_000,
      'weir-version': version,
      features: { 'web-submit': false, 'web-cancel': true, 'web-rescale': false, 'web-history': false },
    });
  });
}
