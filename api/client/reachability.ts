// Where the JobManager is, and whether anything listens there. A plain TCP connect answers "refused"
// or "no route" at once, where the actor system would keep reconnecting with backoff until an ask
// times out; the client asks the Dispatcher only once the port is known to be open.
import { connect } from 'node:net';
import { WeirError } from '../../messages/errors.ts';

export interface HostPort {
  readonly host: string;
  readonly port: number;
}

/** Parses "host:port" or "[ipv6]:port"; throws INVALID_ADDRESS naming the text. */
export function parseHostPort(text: string): HostPort {
  const match = /^(?:\[([^\]]+)\]|([^:[\]\s]+)):(\d{1,5})$/.exec(text.trim());
  const port = match ? Number(match[3]) : 0;
  if (!match || port < 1 || port > 65535) {
    throw new WeirError('INVALID_ADDRESS', `"${text}" is not a JobManager address like 127.0.0.1:6123 (host:port, port 1..65535)`);
  }
  return { host: match[1] ?? match[2], port };
}

export function formatHostPort({ host, port }: HostPort): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

/** Opens and closes one TCP connection; rejects with JOBMANAGER_UNREACHABLE naming the address and why. */
export function probeTcp(target: HostPort, timeoutMs: number): Promise<void> {
  const address = formatHostPort(target);
  return new Promise((resolve, reject) => {
    const socket = connect({ host: target.host, port: target.port });
    const fail = (reason: string, cause?: unknown): void => {
      socket.destroy();
      reject(new WeirError('JOBMANAGER_UNREACHABLE', `cannot reach the JobManager at ${address}: ${reason}`, { cause }));
    };
    socket.setTimeout(timeoutMs, () => fail(`no TCP connection within ${timeoutMs} ms`));
    socket.once('error', (error: NodeJS.ErrnoException) => fail(describeSocketError(error), error));
    socket.once('connect', () => {
      socket.end();
      socket.destroy();
      resolve();
    });
  });
}

function describeSocketError(error: NodeJS.ErrnoException): string {
  switch (error.code) {
    case 'ECONNREFUSED':
      return 'connection refused (is the cluster started? bin/start-cluster.sh)';
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return 'unknown host';
    default:
      return error.code ? `${error.code} (${error.message})` : error.message;
  }
}
