// Streaming word count over a socket: every line a TCP server sends is split into words, and each
// word's running count is printed as `word<TAB>count` each time it changes (STREAMING mode: the
// counts are never final; windows come with event time). The job runs until the server closes the
// connection, or until it is cancelled (Ctrl-C embedded, `bin/weir cancel <jobId>` on a cluster).
//
//   nc -lk 9999                                             # in another terminal; type lines there
// Embedded, on a mini cluster in this process:
//   npx tsx examples/socket-wordcount.ts                    # --host localhost --port 9999 by default
//   npx tsx examples/socket-wordcount.ts --host 127.0.0.1 --port 9999
// On a standalone cluster (bin/start-cluster.sh; a TaskManager connects, so name a host it reaches):
//   bin/weir run examples/socket-wordcount.ts -p 2 -- --host <nc host> --port 9999
import { type JobModule, StreamExecutionEnvironment, isMainModule } from '../index.ts';
import { tokenize } from './wordcount.ts';

const USAGE = 'usage: socket-wordcount.ts [--host <host>] [--port <port>]';

export function parseSocketArgs(args: readonly string[]): { host: string; port: number } {
  let host = 'localhost';
  let port = 9999;
  for (let index = 0; index < args.length; index += 2) {
    const [flag, value] = [args[index], args[index + 1]];
    if (flag === '--host' && value) host = value;
    else if (flag === '--port' && value && /^\d+$/.test(value)) port = Number(value);
    else throw new Error(`unexpected argument ${flag} ${value ?? ''}; ${USAGE}`);
  }
  return { host, port };
}

const socketWordCount: JobModule = async (env, args) => {
  const { host, port } = parseSocketArgs(args);
  env
    .socketTextStream(host, port)
    .name(`Socket ${host}:${port}`)
    .flatMap(tokenize)
    .name('Tokenize')
    .map((word): [string, number] => [word, 1])
    .name('Pair With One')
    .keyBy(([word]) => word)
    .sum(1)
    .name('Running Count')
    .map(([word, count]) => `${word}\t${count}`)
    .name('Format')
    .print();
  await env.execute('Socket Word Count');
};

export default socketWordCount;

if (isMainModule(import.meta.url)) await socketWordCount(StreamExecutionEnvironment.getExecutionEnvironment(), process.argv.slice(2));
