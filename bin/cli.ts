// The weir CLI. This stage knows `version` and `help`; run, list, cancel and trace come with the
// cluster (a later issue). Exit codes: 0 success, 2 usage error.
import { readFileSync } from 'node:fs';

const USAGE = `usage: weir <command>

commands:
  version     print the Weir version
  help        print this help
`;

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
const [command] = process.argv.slice(2);

switch (command) {
  case 'version':
  case '--version':
    process.stdout.write(`weir ${pkg.version}\n`);
    break;
  case undefined:
  case 'help':
  case '--help':
    process.stdout.write(USAGE);
    break;
  default:
    process.stderr.write(`weir: unknown command "${command}"\n${USAGE}`);
    process.exitCode = 2;
}
