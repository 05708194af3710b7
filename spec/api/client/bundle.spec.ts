// A job module is bundled into one ESM string and planned from that string: the graph the client
// submits comes from the very code it ships. A module that cannot be bundled is BUNDLE_FAILED.
import test from 'ava';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleJob, planBundle } from '../../../api/client/index.ts';
import { importBundle } from '../../../api/client/plan-bundle.ts';
import { WeirError } from '../../../messages/errors.ts';
import { toErrorInfo } from '../../../messages/job-status.ts';

const PACKAGE_ENTRY = fileURLToPath(new URL('../../../index.ts', import.meta.url));

function scratch(t: { teardown(fn: () => void): void }, files: Readonly<Record<string, string>>): string {
  const dir = mkdtempSync(join(tmpdir(), 'weir-bundle-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

test('a job module and its imports become one ES module, node builtins left as imports', async (t) => {
  const dir = scratch(t, {
    'helper.ts': 'export const square = (n: number): number => n * n;\n',
    'job.ts': "import { sep } from 'node:path';\nimport { square } from './helper.ts';\nexport default () => [square(3), sep];\n",
  });
  const bundle = await bundleJob(join(dir, 'job.ts'));
  t.false(bundle.includes("from './helper.ts'"));
  t.regex(bundle, /from ["']node:path["']/);
  const file = join(dir, 'bundle.mjs');
  writeFileSync(file, bundle);
  const module = (await import(file)) as { default: () => unknown[] };
  t.deepEqual(module.default(), [9, '/']);
});

test('an error thrown in the bundle names the module\'s own .ts file, line and column, once serialized (its inline source map)', async (t) => {
  const dir = scratch(t, {
    'job.ts': [
      `import { type JobModule, WeirError } from ${JSON.stringify(PACKAGE_ENTRY)};`,
      'interface Reading { readonly value: number }',
      'const job: JobModule = () => void check({ value: -1 });',
      'function check(reading: Reading): number {',
      "  if (reading.value < 0) throw new WeirError('INVALID_ARGUMENT', `negative: ${reading.value}`);",
      '  return reading.value;',
      '}',
      'export default job;',
      '',
    ].join('\n'),
  });
  const bundle = await bundleJob(join(dir, 'job.ts'));
  // The API's import() is in every bundle: tsx rewrites such a module, and Node's own mapping stops at the bundle.
  t.true(bundle.includes('import('));
  const main = (await importBundle(bundle)) as unknown as () => void;
  const error = t.throws(() => main());
  t.deepEqual(toErrorInfo(error).stack?.split('\n').slice(0, 3), ['WeirError: negative: -1', `    at check (${join(dir, 'job.ts')}:5:32)`, `    at job (${join(dir, 'job.ts')}:3:35)`]);
});

test('planning the bundle gives the JobGraph, with -p and the default job name applied', async (t) => {
  const bundle = await bundleJob('examples/trivial-job.ts');
  const graph = await planBundle(bundle, [], { parallelism: 3, jobName: 'unused: the module names itself' });
  t.is(graph.name, 'trivial job');
  t.deepEqual(
    graph.vertices.map((vertex) => vertex.parallelism),
    [3],
  );
});

test('a missing module or a broken import is BUNDLE_FAILED naming the module and the problem', async (t) => {
  const dir = scratch(t, { 'job.ts': "import { nothing } from './missing.ts';\nexport default () => nothing;\n" });
  const missing = await t.throwsAsync(bundleJob(join(dir, 'nope.ts')), { instanceOf: WeirError });
  t.is(missing?.code, 'BUNDLE_FAILED');
  t.is(missing?.message, `cannot bundle the job module ${join(dir, 'nope.ts')}: no such file`);
  const broken = await t.throwsAsync(bundleJob(join(dir, 'job.ts')), { instanceOf: WeirError });
  t.is(broken?.code, 'BUNDLE_FAILED');
  t.regex(broken?.message ?? '', /job\.ts:1:\d+: Could not resolve "\.\/missing\.ts"$/);
});

test('a module without a default export function is refused when planned', async (t) => {
  const dir = scratch(t, { 'job.ts': 'export const notAJob = 1;\n' });
  const error = await t.throwsAsync(planBundle(await bundleJob(join(dir, 'job.ts')), []), { instanceOf: WeirError });
  t.is(error?.code, 'INVALID_JOB_MODULE');
});


test('a module importing the package entry gets the API only: no executor wiring, client or cluster', async (t) => {
  const bundle = await bundleJob('examples/wordcount.ts');
  t.false(bundle.includes('class MiniCluster'));
  t.false(bundle.includes('class WeirClient'));
  t.false(bundle.includes('class ActorSystem'));
  const graph = await planBundle(bundle, ['--output', '/tmp/never-written'], { parallelism: 2 });
  t.is(graph.name, 'Word Count', 'named by the execute() call of the default export, which started nothing');
});

test('a module that starts a job from its top level is refused when its bundle is planned', async (t) => {
  const dir = scratch(t, {
    'job.ts': [
      `import { StreamExecutionEnvironment } from ${JSON.stringify(PACKAGE_ENTRY)};`,
      'const env = StreamExecutionEnvironment.getExecutionEnvironment();',
      'env.fromElements(1, 2, 3).print();',
      "await env.execute('top level');",
      'export default () => {};',
    ].join('\n'),
  });
  const error = await t.throwsAsync(planBundle(await bundleJob(join(dir, 'job.ts')), []), { instanceOf: Error });
  t.like(error, { code: 'INVALID_JOB_MODULE' });
  t.regex(error?.message ?? '', /a job module started a job \(embedded\) while its bundle was being planned: declare the pipeline in the default export/);
});
