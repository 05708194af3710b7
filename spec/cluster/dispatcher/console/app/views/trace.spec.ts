import type { ActorRef, ActorSystem } from '../../../../../../actors/index.ts';
import type { JobModule } from '../../../../../../api/index.ts';
import { RESOURCE_MANAGER_NAME } from '../../../../../../messages/addresses.ts';
import { resourceId } from '../../../../../../messages/ids.ts';
import { EmbeddedLoader } from '../../../../../../cluster/taskmanager/job-code.ts';
import { NetworkEnvironment } from '../../../../../../cluster/taskmanager/network/network-environment.ts';
import { taskManager } from '../../../../../../cluster/taskmanager/task-manager.ts';
import { eventually } from '../../../../helpers.ts';
import { PAGE_TIMEOUT_MS, browserTest, openConsole } from '../../browser.ts';

const doubled: JobModule = (env) => {
  env.setJobName('doubled');
  env
    .fromSequence(1, 10)
    .map((n) => n * 2)
    .sinkTo(() => {});
};

/** A TaskManager joining the mini cluster after the console opened: its registration is traced. */
function startTaskManager(system: ActorSystem, name: string): ActorRef<never> {
  return system.spawn(
    taskManager({
      resourceId: resourceId(name),
      slots: 1,
      resourceManager: system.resolve(`${system.address}/user/${RESOURCE_MANAGER_NAME}`),
      loader: new EmbeddedLoader(),
      network: new NetworkEnvironment(() => true),
      stdout: () => {},
    }),
    name,
  ) as ActorRef<never>;
}

const rowTypes = (page: import('playwright-core').Page): Promise<string[]> =>
  page.locator('.trace-scroll .trace-row').evaluateAll((rows) => rows.map((row) => row.getAttribute('data-type') ?? ''));

browserTest('the trace shows the SubmitJob of a job and the RegisterTaskManager of a TaskManager started while watching, with their fields', async (t) => {
  const { cluster, url, page, screenshot } = await openConsole(t);
  await page.goto(`${url}/#/trace`);
  await page.getByTestId('stream-status').filter({ hasText: 'live' }).waitFor();

  await page.getByRole('searchbox', { name: 'Type' }).fill('SubmitJob,RegisterTaskManager');
  startTaskManager(cluster.system, 'taskmanager-late');
  const handle = await cluster.submit(doubled);
  await page.locator('.trace-row[data-type="SubmitJob"]').first().waitFor();
  await page.locator('.trace-row[data-type="RegisterTaskManager"]').first().waitFor();

  const submit = page.locator('.trace-row[data-type="SubmitJob"]').first();
  t.is(await submit.locator('span:nth-child(3)').innerText(), 'minicluster/user/dispatcher');
  t.is(await submit.locator('span:nth-child(6)').innerText(), handle.jobId.slice(0, 8));
  await submit.click();
  const detail = page.getByTestId('trace-detail');
  t.is(await detail.locator('h3.type').innerText(), 'SubmitJob');
  t.true((await detail.locator('.fields').innerText()).includes(handle.jobId));
  const register = page.locator('.trace-row[data-type="RegisterTaskManager"]').first();
  t.is(await register.locator('span:nth-child(2)').innerText(), 'minicluster/user/taskmanager-late');
  await screenshot('trace');
});

browserTest('a type filter narrows the trace to matching rows, and pause stops new rows until resumed', async (t) => {
  const { cluster, url, page, screenshot } = await openConsole(t);
  await page.goto(`${url}/#/trace`);
  await page.getByTestId('stream-status').filter({ hasText: 'live' }).waitFor();
  await cluster.submit(doubled);
  // Heartbeats and slot reports keep coming: the unfiltered list holds many types.
  await eventually(async () => new Set(await rowTypes(page)).size > 3, 'several message types in the list', PAGE_TIMEOUT_MS);

  await page.getByRole('searchbox', { name: 'Type' }).fill('*Heartbeat');
  await eventually(async () => (await rowTypes(page)).every((type) => type.endsWith('Heartbeat')), 'only heartbeats left', PAGE_TIMEOUT_MS);
  await eventually(async () => (await rowTypes(page)).length > 0, 'new heartbeats to come', PAGE_TIMEOUT_MS);

  await page.getByTestId('pause').click();
  const rows = page.getByTestId('row-count');
  const held = await rows.innerText();
  await eventually(async () => /paused · [1-9]\d* new/.test(await page.getByTestId('stream-status').innerText()), 'heartbeats to arrive while paused', PAGE_TIMEOUT_MS);
  t.is(await rows.innerText(), held, 'no row was added while paused');
  await screenshot('trace-paused');

  await page.getByTestId('pause').click();
  await eventually(async () => Number(await rows.innerText()) > Number(held), 'the held rows to show on resume', PAGE_TIMEOUT_MS);
  t.true((await rowTypes(page)).every((type) => type.endsWith('Heartbeat')));
});
