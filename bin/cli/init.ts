// weir init <dir>: a project of its own for a team's jobs (Flink's quickstart archetype): a sample job,
// its spec on the operator test harness, and the package.json, tsconfig and .gitignore that make
// `npm install && npm start && npm test` work with nothing else installed.
//
// Weir is a `file:` dependency on this checkout until it is published. npm 11 installs such a
// dependency as a symlink and installs nothing of Weir's own dependencies into the project: they
// resolve from the checkout's node_modules. So the project's scripts run tsx through Weir
// (`node --import weir/register`) and test with Node's own runner (node:test): neither tsx nor a test
// runner has to be in the project, and `npm install` needs no registry.
import { cpSync, existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CommandError } from './errors.ts';

/** The checkout the project depends on (this file is bin/cli/init.ts in it). */
const WEIR_ROOT = fileURLToPath(new URL('../../', import.meta.url)).replace(/\/$/, '');
/** src/, spec/ and README.md of the project, copied as they are (Weir's own typecheck covers them). */
const TEMPLATE = fileURLToPath(new URL('./project-template/', import.meta.url));
const SAMPLE_JOB = 'src/word-count.ts';

export interface InitArgs {
  readonly directory: string;
}

/** Creates the project in `args.directory` (made if missing; refused unless empty); prints what to do next. */
export function initCommand(args: InitArgs, out: (line: string) => void): void {
  const directory = resolve(args.directory);
  if (existsSync(directory)) {
    if (!statSync(directory).isDirectory()) throw new CommandError('INVALID_ARGUMENT', `weir init: ${directory} is a file, not a directory`);
    const entries = readdirSync(directory).sort();
    if (entries.length > 0) {
      const shown = entries.slice(0, 3).join(', ') + (entries.length > 3 ? ', ...' : '');
      throw new CommandError('INVALID_ARGUMENT', `weir init: ${directory} is not empty (it holds ${shown}); give a new or an empty directory`);
    }
  }
  mkdirSync(directory, { recursive: true });
  cpSync(TEMPLATE, directory, { recursive: true });
  writeFileSync(join(directory, 'package.json'), `${JSON.stringify(packageJson(packageName(directory)), null, 2)}\n`);
  writeFileSync(join(directory, 'tsconfig.json'), `${JSON.stringify(TSCONFIG, null, 2)}\n`);
  writeFileSync(join(directory, '.gitignore'), 'node_modules/\nlog/\n');
  out(`Created a Weir project in ${directory}. Next:`);
  out(`  cd ${args.directory}`);
  out('  npm install');
  out('  npm start                        # runs the sample job on an embedded mini cluster');
  out('  npm test                         # runs its spec');
  out(`  npx weir run ${SAMPLE_JOB}   # submits it to a standalone cluster`);
}

function packageJson(name: string): object {
  return {
    name,
    version: '0.1.0',
    private: true,
    type: 'module',
    engines: { node: '>=20.19' },
    scripts: {
      start: `node --import weir/register ${SAMPLE_JOB}`,
      test: 'node --import weir/register --test spec/*.spec.ts',
    },
    // This checkout, until Weir is published.
    dependencies: { weir: `file:${WEIR_ROOT}` },
  };
}

/**
 * Weir ships TypeScript sources, which tsc checks with the project's settings: these are Weir's own
 * (strict, .ts imports). Node's types come with Weir's checkout (its node_modules/@types).
 */
const TSCONFIG = {
  compilerOptions: {
    target: 'ES2022',
    module: 'NodeNext',
    moduleResolution: 'NodeNext',
    strict: true,
    skipLibCheck: true,
    isolatedModules: true,
    verbatimModuleSyntax: true,
    allowImportingTsExtensions: true,
    noEmit: true,
    typeRoots: ['./node_modules/@types', './node_modules/weir/node_modules/@types'],
    types: ['node'],
  },
  include: ['src', 'spec'],
};

/** npm's rules: lower case, URL-safe, at most 214 characters. */
function packageName(directory: string): string {
  const name = basename(directory)
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, '-')
    .replace(/^[._-]+/, '')
    .slice(0, 214);
  return name === '' ? 'weir-jobs' : name;
}
