import { interval } from 'rxjs';
import type { JobModule } from '../../../../../../api/index.ts';
import { browserTest, openConsole } from '../../browser.ts';

const ticking: JobModule = (env) => {
  env.setJobName('ticking for the overview');
  env
    .fromObservable(() => interval(5))
    .map((tick) => tick * 2)
    .sinkTo(() => {});
};

browserTest('the overview shows the TaskManagers with their slots and the running job, linked to its page', async (t) => {
  const { cluster, url, page, screenshot } = await openConsole(t, { taskManagers: 2, slotsPerTaskManager: 2 });
  const handle = await cluster.submit(ticking);
  t.teardown(() => handle.cancel().catch(() => undefined));
  await page.goto(`${url}/`);

  const running = page.locator(`#running-jobs tr[data-job-id="${handle.jobId}"]`);
  await running.locator('[data-state="RUNNING"]').waitFor();
  t.is(await running.locator('a').innerText(), 'ticking for the overview');
  t.is(await running.locator('a').getAttribute('href'), `#/jobs/${handle.jobId}`);
  const figures = page.getByTestId('overview-figures');
  t.is(await figures.locator('.figure').nth(0).locator('.figure-value').innerText(), '2');
  t.is(await figures.locator('.figure').nth(1).locator('.figure-value').innerText(), '1 / 4');
  t.is(await figures.locator('.figure').nth(2).locator('.figure-value').innerText(), '1');
  const taskManagers = page.locator('#overview-taskmanagers tbody tr');
  await taskManagers.nth(1).waitFor();
  t.deepEqual(await taskManagers.evaluateAll((rows) => rows.map((row) => row.getAttribute('data-taskmanager-id'))), ['taskmanager-0', 'taskmanager-1']);
  t.deepEqual(await taskManagers.locator('td:nth-child(3)').allInnerTexts(), ['1 / 2', '2 / 2']);
  await screenshot('overview');
});

browserTest('when the cluster stops answering, a banner says so above the last figures instead of a blank page', async (t) => {
  const { cluster, url, page, screenshot } = await openConsole(t);
  const handle = await cluster.submit(ticking);
  await page.goto(`${url}/`);
  await page.locator(`#running-jobs tr[data-job-id="${handle.jobId}"] [data-state="RUNNING"]`).waitFor();
  t.is(await page.getByTestId('unreachable').count(), 0);

  await cluster.close();
  const banner = page.getByTestId('unreachable');
  await banner.waitFor();
  t.regex(await banner.innerText(), /^Cannot reach the cluster at 127\.0\.0\.1:\d+/);
  t.is(await page.locator(`#running-jobs tr[data-job-id="${handle.jobId}"]`).count(), 1, 'the last figures stay');
  await screenshot('unreachable');
});
