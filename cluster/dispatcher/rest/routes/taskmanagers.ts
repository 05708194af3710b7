// GET /taskmanagers and /taskmanagers/:taskManagerId (Flink's TaskManagersInfo and TaskManagerDetailsInfo).
import type { RestApp, RestDependencies } from '../context.ts';
import { idParam } from '../guards.ts';
import { taskManagerEntry } from '../metrics-mappers.ts';

export function taskManagerRoutes(app: RestApp, { gateway }: RestDependencies): void {
  app.get('/taskmanagers', async (c) => c.json({ taskmanagers: (await gateway.taskManagers()).map(taskManagerEntry) }));

  app.get('/taskmanagers/:taskManagerId', async (c) => c.json(taskManagerEntry(await gateway.taskManager(idParam(c, 'taskManagerId', 'TaskManager id')))));
}
