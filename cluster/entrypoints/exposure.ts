// Whether a cluster process without a secret listens where other machines reach it: then anyone on
// that network may submit jobs, that is run code on every TaskManager. Such a start is allowed (a
// private network may be trusted) but says so, naming the ports, in the log and in the ready line,
// which bin/weir-daemon.sh prints.

/** A port a process listens on, and what for. */
export interface Listener {
  readonly host: string;
  readonly port: number;
  /** E.g. "actor messages", "record batches". */
  readonly what: string;
}

/** localhost, 127.0.0.0/8 and ::1 (with or without brackets): reached from this machine only. */
export function isLoopback(host: string): boolean {
  const bare = host.replace(/^\[(.*)\]$/, '$1').toLowerCase();
  return bare === 'localhost' || bare === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(bare) || /^::ffff:127\./.test(bare);
}

/**
 * The warning for a process of `role` without a secret that listens off loopback, or undefined when
 * it has a secret or listens on loopback only. Free of double quotes: it goes into a JSON ready line
 * that a shell script reads.
 */
export function exposureWarning(role: string, listeners: readonly Listener[], hasSecret: boolean): string | undefined {
  if (hasSecret) return undefined;
  const exposed = listeners.filter((listener) => !isLoopback(listener.host));
  if (exposed.length === 0) return undefined;
  const ports = exposed.map(({ host, port, what }) => `${host.includes(':') && !host.startsWith('[') ? `[${host}]` : host}:${port} (${what})`).join(', ');
  return (
    `security.auth.secret is not set, and this ${role} listens on ${ports}, off loopback: anyone who reaches ` +
    `${exposed.length === 1 ? 'this port' : 'these ports'} can submit jobs and run code on the cluster. Set security.auth.secret (docs/security.md).`
  );
}
