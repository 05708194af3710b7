// Addresses and actor paths: weir://<system>@<host>:<port>/user/a/b, or weir://<system>/... for a
// system that does not listen.
import { WeirError } from '../messages/errors.ts';

export const SYSTEM_NAME = /^[A-Za-z0-9][A-Za-z0-9_-]*$/;

export interface Address {
  readonly system: string;
  readonly host?: string;
  readonly port?: number;
}

export interface ActorPath {
  readonly address: Address;
  /** "weir://sys@host:port" */
  readonly addressText: string;
  /** "/user/a/b" */
  readonly localPath: string;
}

const PATH = /^weir:\/\/([^@/:]+)(?:@([^/]+):(\d+))?(\/.*)?$/;

export function formatAddress(address: Address): string {
  if (address.host === undefined || address.port === undefined) return `weir://${address.system}`;
  const host = address.host.includes(':') ? `[${address.host}]` : address.host;
  return `weir://${address.system}@${host}:${address.port}`;
}

/** Paths parsed recently: every ref read off the wire is parsed again otherwise (3 regexes). */
const PARSED_PATHS_MAX = 4096;
const parsedPaths = new Map<string, ActorPath>();

/** Parses an actor path or a bare address; throws INVALID_ADDRESS naming the text. */
export function parseActorPath(text: string): ActorPath {
  let parsed = parsedPaths.get(text);
  if (parsed === undefined) {
    parsed = parseUncached(text);
    if (parsedPaths.size >= PARSED_PATHS_MAX) parsedPaths.clear();
    parsedPaths.set(text, parsed);
  }
  return parsed;
}

function parseUncached(text: string): ActorPath {
  const match = PATH.exec(text);
  const [, system, rawHost, port, localPath] = match ?? [];
  if (!match || !SYSTEM_NAME.test(system) || (localPath !== undefined && !/^(\/[^/]+)+$/.test(localPath))) {
    throw new WeirError('INVALID_ADDRESS', `"${text}" is not an actor path like weir://system@host:port/user/name`);
  }
  const portNumber = port === undefined ? undefined : Number(port);
  if (portNumber !== undefined && (portNumber < 1 || portNumber > 65535)) {
    throw new WeirError('INVALID_ADDRESS', `"${text}" has port ${port}, outside 1..65535`);
  }
  const host = rawHost?.startsWith('[') && rawHost.endsWith(']') ? rawHost.slice(1, -1) : rawHost;
  const address: Address = host === undefined ? { system } : { system, host, port: portNumber };
  return { address, addressText: formatAddress(address), localPath: localPath ?? '' };
}
