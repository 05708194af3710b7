// weir init (bin/cli/init.ts): the files of a new project, and the directories it refuses. The
// project's npm install, start and test, and its job on a cluster: spec/e2e/init-project.integration.spec.ts.
import test from 'ava';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CommandError } from '../../../bin/cli/errors.ts';
import { initCommand } from '../../../bin/cli/init.ts';
import { REPO_ROOT } from '../../e2e/process.ts';

function tempDirectory(t: import('ava').ExecutionContext): string {
  const directory = mkdtempSync(join(tmpdir(), 'weir-init-'));
  t.teardown(() => rmSync(directory, { recursive: true, force: true }));
  return directory;
}

function filesUnder(directory: string, prefix = ''): string[] {
  return readdirSync(directory, { withFileTypes: true })
    .flatMap((entry) => (entry.isDirectory() ? filesUnder(join(directory, entry.name), `${prefix}${entry.name}/`) : [`${prefix}${entry.name}`]))
    .sort();
}

test('init creates a project that depends on this checkout, with a sample job, its spec, npm start and npm test', (t) => {
  const project = join(tempDirectory(t), 'My Jobs');
  const lines: string[] = [];
  initCommand({ directory: project }, (line) => lines.push(line));
  t.deepEqual(filesUnder(project), ['.gitignore', 'README.md', 'package.json', 'spec/word-count.spec.ts', 'src/word-count.ts', 'tsconfig.json']);
  t.deepEqual(JSON.parse(readFileSync(join(project, 'package.json'), 'utf8')), {
    name: 'my-jobs',
    version: '0.1.0',
    private: true,
    type: 'module',
    engines: { node: '>=20.19' },
    scripts: { start: 'node --import weir/register src/word-count.ts', test: 'node --import weir/register --test spec/*.spec.ts' },
    dependencies: { weir: `file:${REPO_ROOT.replace(/\/$/, '')}` },
  });
  const tsconfig = JSON.parse(readFileSync(join(project, 'tsconfig.json'), 'utf8')) as { compilerOptions: { strict: boolean }; include: string[] };
  t.true(tsconfig.compilerOptions.strict);
  t.deepEqual(tsconfig.include, ['src', 'spec']);
  t.is(readFileSync(join(project, '.gitignore'), 'utf8'), 'node_modules/\nlog/\n');
  t.is(readFileSync(join(project, 'src/word-count.ts'), 'utf8'), readFileSync(join(REPO_ROOT, 'bin/cli/project-template/src/word-count.ts'), 'utf8'));
  t.is(lines[0], `Created a Weir project in ${project}. Next:`);
  t.true(lines.includes('  npm start                        # runs the sample job on an embedded mini cluster'), lines.join('\n'));
});

test('init makes the directory and its parents, and takes an empty one', (t) => {
  const root = tempDirectory(t);
  initCommand({ directory: join(root, 'a', 'b') }, () => undefined);
  t.true(readdirSync(join(root, 'a', 'b')).includes('package.json'));
  mkdirSync(join(root, 'empty'));
  initCommand({ directory: join(root, 'empty') }, () => undefined);
  t.true(readdirSync(join(root, 'empty')).includes('package.json'));
});

test('init refuses a directory that is not empty, naming it and what it holds, and writes nothing there', (t) => {
  const root = tempDirectory(t);
  for (const name of ['a.txt', 'b.txt', 'c.txt', 'd.txt']) writeFileSync(join(root, name), '');
  const error = t.throws(() => initCommand({ directory: root }, () => undefined), { instanceOf: CommandError });
  t.is(error?.code, 'INVALID_ARGUMENT');
  t.is(error?.message, `weir init: ${root} is not empty (it holds a.txt, b.txt, c.txt, ...); give a new or an empty directory`);
  t.deepEqual(readdirSync(root).sort(), ['a.txt', 'b.txt', 'c.txt', 'd.txt']);
});

test('init refuses a file in place of the directory', (t) => {
  const file = join(tempDirectory(t), 'jobs');
  writeFileSync(file, '');
  const error = t.throws(() => initCommand({ directory: file }, () => undefined), { instanceOf: CommandError });
  t.is(error?.message, `weir init: ${file} is a file, not a directory`);
});
