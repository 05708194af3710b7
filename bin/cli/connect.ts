// Connects the CLI to the JobManager: -m host:port, else jobmanager.rpc.address:port of
// conf/weir.yaml (WEIR_CONF_DIR); the cluster's heartbeat, client.timeout and secret
// (security.auth.secret, security.auth.secret-file or WEIR_AUTH_SECRET) apply.
import { WeirClient, formatHostPort } from '../../api/client/index.ts';
import type { LogLevel, TlsOptions } from '../../actors/index.ts';
import { WEIR_HOME, type WeirConfig, loadConfig } from '../../cluster/config.ts';
import { readInternalTls } from '../../cluster/config/internal-tls.ts';
import type { ConnectArgs } from './args.ts';

const LOG_LEVELS: readonly LogLevel[] = ['debug', 'info', 'warn', 'error', 'off'];

export async function connectClient(args: ConnectArgs, config: WeirConfig = loadConfig()): Promise<WeirClient> {
  const target = args.jobManager ?? { host: config.jobManagerAddress, port: config.jobManagerPort };
  return WeirClient.connect(formatHostPort(target), {
    timeoutMs: config.clientTimeoutMs,
    heartbeatIntervalMs: config.heartbeatIntervalMs,
    acceptablePauseMs: config.heartbeatTimeoutMs,
    logLevel: cliLogLevel(),
    ...(config.authSecret ? { secret: config.authSecret } : {}),
    ...tlsOption(readInternalTls(config, WEIR_HOME)),
  });
}

function tlsOption(tls: TlsOptions | undefined): { readonly tls?: TlsOptions } {
  return tls ? { tls } : {};
}

/** The CLI's own actor system logs errors only (its stderr is for one-line reasons), unless WEIR_LOG_LEVEL says otherwise. */
function cliLogLevel(): LogLevel {
  return LOG_LEVELS.find((level) => level === process.env.WEIR_LOG_LEVEL) ?? 'error';
}
