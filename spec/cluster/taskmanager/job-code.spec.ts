// How a TaskManager gets a job's plan: the embedded loader plans a registered module, the bundle
// loader imports the bundle it fetched; both plan once per job until the job is released.
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import test from 'ava';
import { buildSync } from 'esbuild';
import { mapBundleFrames } from '../../../messages/bundle-frames.ts';
import type { JobModule } from '../../../api/index.ts';
import { BundleLoader, EmbeddedLoader, type JobCodeRequest } from '../../../cluster/taskmanager/job-code.ts';
import { jobId } from '../../../messages/ids.ts';

const request = (job: string, bundleHash: string, extra: Partial<JobCodeRequest> = {}): JobCodeRequest => ({
  jobId: jobId(job),
  bundleHash,
  args: [],
  fetchBundle: () => Promise.reject(new Error('the spec serves no bundle')),
  ...extra,
});

test('the embedded loader plans a registered module once per job, shares the plan among its tasks, and forgets it on release', async (t) => {
  let plannings = 0;
  const module: JobModule = (env) => {
    plannings++;
    env.fromSequence(1, 10).print();
  };
  const loader = new EmbeddedLoader();
  loader.register('hash-1', module);
  const first = loader.load(request('job-1', 'hash-1'));
  t.is(loader.load(request('job-1', 'hash-1')), first);
  t.is((await first).graph.vertices.length, 1);
  t.is(plannings, 1);
  loader.release(jobId('job-1'));
  // A released job's module is forgotten: a long-lived mini cluster does not keep every job's code.
  await t.throwsAsync(loader.load(request('job-1', 'hash-1')), { message: /no job module registered for bundle hash-1/ });
  t.is(plannings, 1);
});

test('the embedded loader plans with the job’s args and the client’s parallelism', async (t) => {
  const module: JobModule = (env, args) => void env.fromSequence(1, Number(args[0])).print();
  const loader = new EmbeddedLoader();
  loader.register('hash-1', module);
  const plan = await loader.load(request('job-1', 'hash-1', { args: ['40'], planParallelism: 3 }));
  t.is(plan.graph.vertices[0].parallelism, 3);
  t.deepEqual(plan.graph.vertices[0].operators[0].config, { from: 1, to: 40 });
});

test('the embedded loader rejects a bundle no module was registered for', async (t) => {
  await t.throwsAsync(new EmbeddedLoader().load(request('job-1', 'nobody')), { message: 'no job module registered for bundle nobody' });
});

test('the embedded loader passes on what the module throws', async (t) => {
  const loader = new EmbeddedLoader();
  loader.register('hash-1', () => {
    throw new RangeError('bad args');
  });
  await t.throwsAsync(loader.load(request('job-1', 'hash-1')), { instanceOf: RangeError, message: 'bad args' });
});

test('the bundle loader fetches the bundle once per job, imports it and plans its default export', async (t) => {
  const directory = await mkdtemp(join(tmpdir(), 'weir-job-code-'));
  t.teardown(() => rm(directory, { recursive: true, force: true }));
  const loader = new BundleLoader(directory);
  let fetches = 0;
  const code = 'export default (env, args) => { env.setJobName("bundled"); env.fromElements(...args).print(); };';
  const fetchBundle = (): Promise<string> => {
    fetches++;
    return Promise.resolve(code);
  };
  const first = loader.load(request('job-1', 'hash-1', { args: ['x', 'y'], fetchBundle }));
  const second = loader.load(request('job-1', 'hash-1', { args: ['x', 'y'], fetchBundle }));
  t.is(second, first);
  const plan = await first;
  t.is(plan.graph.name, 'bundled');
  t.is(fetches, 1);
  t.deepEqual(await readdir(directory), [], 'the bundle file and its directory are removed once imported');
});

test('the bundle loader rejects a bundle without a default export function', async (t) => {
  const directory = await mkdtemp(join(tmpdir(), 'weir-job-code-'));
  t.teardown(() => rm(directory, { recursive: true, force: true }));
  const loader = new BundleLoader(directory);
  const error = await t.throwsAsync(loader.load(request('job-2', 'hash-2', { fetchBundle: () => Promise.resolve('export const notDefault = 1;') })));
  t.true(error instanceof TypeError);
  t.is(error.message, 'the job module of job job-2 has no default export function (found undefined)');
});

test('the bundle loader passes on a failed fetch, and does not keep it: the next load fetches again', async (t) => {
  const directory = await mkdtemp(join(tmpdir(), 'weir-job-code-'));
  t.teardown(() => rm(directory, { recursive: true, force: true }));
  const loader = new BundleLoader(directory);
  await t.throwsAsync(loader.load(request('job-3', 'hash-3')), { message: 'the spec serves no bundle' });
  const plan = await loader.load(request('job-3', 'hash-3', { fetchBundle: () => Promise.resolve('export default (env) => { env.setJobName("second try"); env.fromElements(1).print(); };') }));
  t.is(plan.graph.name, 'second try');
});

test('the bundle loader forgets the source map of a job released while its code was loading', async (t) => {
  const directory = await mkdtemp(join(tmpdir(), 'weir-job-code-'));
  t.teardown(() => rm(directory, { recursive: true, force: true }));
  const [output] = buildSync({
    stdin: { contents: 'export default (env: any) => {\n  (globalThis as any).weirSpecBundleUrl = import.meta.url;\n  env.fromElements(1).print();\n};\n', loader: 'ts', sourcefile: 'job.ts' },
    format: 'esm',
    write: false,
    sourcemap: 'inline',
    sourceRoot: 'file:///home/me/jobs/',
  }).outputFiles;
  const frameIn = (): string => `    at job (${fileURLToPath((globalThis as { weirSpecBundleUrl?: string }).weirSpecBundleUrl ?? 'file:///nowhere')}:2:3)`;
  const loader = new BundleLoader(directory);
  // Loaded and kept: its frames map to the source.
  await loader.load(request('job-5', 'hash-5', { fetchBundle: () => Promise.resolve(output!.text) }));
  t.regex(mapBundleFrames(frameIn()), /\/home\/me\/jobs\/job\.ts:\d+:\d+/);
  loader.release(jobId('job-5'));
  t.is(mapBundleFrames(frameIn()), frameIn(), 'released: nothing maps');
  // Released while it was loading: once loaded, nothing maps either.
  let serve: (code: string) => void = () => {};
  const loading = loader.load(request('job-6', 'hash-6', { fetchBundle: () => new Promise<string>((resolve) => (serve = resolve)) }));
  loader.release(jobId('job-6'));
  serve(output!.text);
  await loading;
  t.is(mapBundleFrames(frameIn()), frameIn(), 'a released job leaves no source map behind');
});
