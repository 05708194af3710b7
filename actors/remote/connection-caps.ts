// Caps on the connections a port accepts: in all, and per peer host, so that one peer (or a flood of
// them) cannot take every file descriptor of a process. A connection over a cap is closed at once;
// the refusals are counted and logged as coded warnings (which the log rate-limits).
import { hostOf } from './auth.ts';

export interface ConnectionLimits {
  /** Accepted connections open at once, in all. */
  readonly maxConnections: number;
  /** Accepted connections open at once from one host. */
  readonly maxConnectionsPerHost: number;
}

export class ConnectionCaps {
  private total = 0;
  private readonly byHost = new Map<string, number>();
  /** Connections closed at once for a cap: for metrics and specs. */
  refused = 0;

  constructor(
    private readonly limits: ConnectionLimits,
    /** How the port is named in the refusal, e.g. "the data port (taskmanager.network.max-connections)". */
    private readonly what: { readonly port: string; readonly totalKey: string; readonly perHostKey: string },
  ) {}

  /** Takes a place for a connection from `remote` (host:port); returns why not when a cap is reached. */
  admit(remote: string): string | undefined {
    const host = hostOf(remote);
    const fromHost = this.byHost.get(host) ?? 0;
    let refusal: string | undefined;
    if (this.total >= this.limits.maxConnections) refusal = `${this.what.port} holds ${this.total} connections, the most allowed (${this.what.totalKey})`;
    else if (fromHost >= this.limits.maxConnectionsPerHost) refusal = `${this.what.port} holds ${fromHost} connections from ${host}, the most allowed from one host (${this.what.perHostKey})`;
    if (refusal !== undefined) {
      this.refused++;
      return refusal;
    }
    this.total++;
    this.byHost.set(host, fromHost + 1);
    return undefined;
  }

  /** The connection admitted from `remote` closed. */
  release(remote: string): void {
    const host = hostOf(remote);
    const fromHost = this.byHost.get(host) ?? 0;
    if (fromHost <= 1) this.byHost.delete(host);
    else this.byHost.set(host, fromHost - 1);
    this.total = Math.max(0, this.total - 1);
  }

  get open(): number {
    return this.total;
  }
}
