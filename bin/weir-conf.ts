// The bin/ scripts' view of the configuration, so that bash never parses YAML:
//   node --import tsx bin/weir-conf.ts check     validates weir.yaml and workers (exit 1, one line)
//   node --import tsx bin/weir-conf.ts workers   the same, then "local <host>" or "remote <host>" per worker
//   node --import tsx bin/weir-conf.ts log-dir   weir.yaml only, then env.log.dir as an absolute path
//   node --import tsx bin/weir-conf.ts taskmanager-node-options   node flags a TaskManager needs (its heap limit)
// WEIR_CONF_DIR picks the folder, as for every Weir process.
import { hostname, networkInterfaces } from 'node:os';
import { resolve } from 'node:path';
import { describeError } from '../messages/errors.ts';
import { WEIR_HOME, loadConfig, loadWorkers } from '../cluster/config.ts';

/** Whether a workers line names this machine: start-cluster.sh starts those without ssh. */
function isLocalHost(host: string): boolean {
  const name = host.toLowerCase().replace(/^\[(.*)\]$/, '$1');
  const own = hostname().toLowerCase();
  const local = new Set(['localhost', '127.0.0.1', '::1', own, own.split('.')[0]]);
  for (const addresses of Object.values(networkInterfaces())) {
    for (const address of addresses ?? []) local.add(address.address.toLowerCase());
  }
  return local.has(name);
}

function main(command: string | undefined): void {
  const config = loadConfig();
  switch (command) {
    case 'check':
      loadWorkers();
      return;
    case 'workers':
      for (const host of loadWorkers()) process.stdout.write(`${isLocalHost(host) ? 'local' : 'remote'} ${host}\n`);
      return;
    case 'taskmanager-node-options':
      // What a TaskManager's node needs from weir.yaml (bin/weir-daemon.sh): its heap limit, if set.
      if (config.taskManagerHeapMb !== null) process.stdout.write(`--max-old-space-size=${config.taskManagerHeapMb}\n`);
      return;
    case 'log-dir':
      // Relative to the Weir folder, where the processes run (bin/weir-daemon.sh).
      process.stdout.write(`${resolve(WEIR_HOME, config.logDir)}\n`);
      return;
    default:
      throw new Error(`unknown command "${command ?? ''}"; use check, workers, log-dir or taskmanager-node-options`);
  }
}

try {
  main(process.argv[2]);
} catch (error) {
  process.stderr.write(`${describeError(error)}\n`);
  process.exitCode = 1;
}
