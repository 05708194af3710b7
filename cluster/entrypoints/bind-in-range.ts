// A server of a process that may share its host with others of its kind (several TaskManagers on
// one machine) binds the first free port of its configured range, as Flink's do.
import { WeirError } from '../../messages/errors.ts';
import { type PortRange, formatPortRange, portsOf } from '../config.ts';

/**
 * Calls `bind(port)` for each port of `range` in order and returns the first that binds. A port in
 * use moves on to the next; any other failure, or the last port in use, rejects naming `key`.
 */
export async function bindInRange<T>(range: PortRange, key: string, bind: (port: number) => Promise<T>): Promise<T> {
  let inUse: unknown;
  for (const port of portsOf(range)) {
    try {
      return await bind(port);
    } catch (error) {
      if (!isAddressInUse(error)) throw error;
      inUse = error;
    }
  }
  const reason = inUse instanceof Error ? inUse.message : 'the range is empty';
  throw new WeirError('CONNECTION_FAILED', `no free port in ${key}: ${formatPortRange(range)} (${reason})`, { cause: inUse });
}

/** EADDRINUSE anywhere along the cause chain (the transports wrap Node's error). */
function isAddressInUse(error: unknown): boolean {
  for (let current = error; current instanceof Error; current = current.cause) {
    if ((current as NodeJS.ErrnoException).code === 'EADDRINUSE') return true;
  }
  return false;
}
