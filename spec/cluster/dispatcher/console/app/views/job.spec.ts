import type { JobModule } from '../../../../../../api/index.ts';
import { WeirError } from '../../../../../../messages/errors.ts';
import { eventually } from '../../../../helpers.ts';
import { PAGE_TIMEOUT_MS, browserTest, openConsole } from '../../browser.ts';

/** Runs until cancelled; the sink spends SINK_MICROS on each record, far more than the source takes to make one. */
const SINK_MICROS = 20;
const slowSink: JobModule = (env) => {
  env.setJobName('slow sink');
  env
    .fromSequence(1, 1_000_000_000)
    .map((n) => n + 1)
    .name('Make Record')
    .rebalance() // the sink runs in a task of its own, behind a network exchange
    .sinkTo(() => {
      const until = performance.now() + SINK_MICROS / 1000;
      while (performance.now() < until);
    });
};

browserTest('the job graph shows every vertex, left to right, with record counts that grow while the job runs', async (t) => {
  const { cluster, url, page, screenshot } = await openConsole(t);
  const handle = await cluster.submit(slowSink);
  t.teardown(() => handle.cancel().catch(() => undefined));
  await page.goto(`${url}/#/jobs/${handle.jobId}`);

  const vertices = page.locator('#job-graph .vertex');
  await vertices.nth(1).waitFor();
  t.deepEqual(await vertices.locator('.vertex-name').allInnerTexts(), ['Source: Sequence -> Make Record', 'Sink: Function']);
  const [source, sink] = await vertices.evaluateAll((boxes) => boxes.map((box) => box.getBoundingClientRect().left));
  t.true(source! < sink!, 'the source is left of the sink');
  t.deepEqual(await vertices.locator('.vertex-p').allInnerTexts(), ['p=1', 'p=1']);

  const recordsOut = page.locator('#job-graph .vertex').first().locator('[data-field="records-out"]');
  const count = async (): Promise<number> => Number((await recordsOut.getAttribute('data-value')) || 0);
  await eventually(async () => (await count()) > 0, 'records out of the source', PAGE_TIMEOUT_MS);
  const first = await count();
  await eventually(async () => (await count()) > first, 'the source\'s count to grow', PAGE_TIMEOUT_MS);
  t.regex(await vertices.nth(1).locator('[data-field="in-rate"]').innerText(), /^\d[\d.]*[kM]?\/s$/);
  await screenshot('job-graph');
});

browserTest('a vertex held back by a slow sink is shown backpressured, and the sink busy', async (t) => {
  const { cluster, url, page, screenshot } = await openConsole(t);
  const handle = await cluster.submit(slowSink);
  t.teardown(() => handle.cancel().catch(() => undefined));
  await page.goto(`${url}/#/jobs/${handle.jobId}`);

  const source = page.locator('#job-graph .vertex').first();
  const sink = page.locator('#job-graph .vertex').nth(1);
  await page.locator('#job-graph .vertex[data-load="backpressured"]').first().waitFor();
  t.is(await source.getAttribute('data-load'), 'backpressured');
  t.is(await sink.getAttribute('data-load'), 'busy');
  t.is(await source.locator('.load-label').innerText(), 'backpressured');
  await screenshot('backpressured');
});

browserTest('the subtask table follows the selected vertex, and Cancel cancels the job', async (t) => {
  const { cluster, url, page } = await openConsole(t);
  const handle = await cluster.submit(slowSink);
  await page.goto(`${url}/#/jobs/${handle.jobId}`);

  await page.locator('#job-graph .vertex').nth(1).click();
  await page.locator('#subtasks h2', { hasText: 'Subtasks of Sink: Function' }).waitFor();
  const row = page.locator('#subtasks tbody tr[data-subtask="0"]');
  await row.locator('[data-state="RUNNING"]').waitFor();
  t.is(await row.locator('td:nth-child(3)').innerText(), 'taskmanager-0');

  page.once('dialog', (dialog) => void dialog.accept());
  await page.getByRole('button', { name: 'Cancel job' }).click();
  await page.locator('.job-title [data-state="CANCELED"]').waitFor();
  await t.throwsAsync(handle.result(), { instanceOf: WeirError, code: 'JOB_CANCELED', message: `job "slow sink" (${handle.jobId}) was canceled` });
});

browserTest('a job waiting for slots says what it needs and what the cluster has free, instead of sitting in CREATED silently', async (t) => {
  const { cluster, url, page, screenshot } = await openConsole(t, { taskManagers: 1, slotsPerTaskManager: 1 });
  const handle = await cluster.submit(slowSink, { parallelism: 3 });
  t.teardown(() => handle.cancel().catch(() => undefined));
  await page.goto(`${url}/#/jobs/${handle.jobId}`);
  const notice = page.locator('.notice', { hasText: 'Waiting for slots' });
  await notice.waitFor({ timeout: PAGE_TIMEOUT_MS });
  t.regex(
    (await notice.innerText()).replace(/\s+/g, ' ').trim(),
    /^Waiting for slots: the job needs 3 and has 0; 1 of 1 slots are free on 1 TaskManager\. It fails after \d+ s of waiting \(\d+ s so far; slot\.request\.timeout\)\.$/,
  );
  await screenshot('waiting-for-slots');
});
