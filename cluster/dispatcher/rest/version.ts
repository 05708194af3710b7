// Weir's version, read once from package.json: /overview and /config report it as Flink reports flink-version.
import { readFileSync } from 'node:fs';

let version: string | undefined;

export function weirVersion(): string {
  version ??= (JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
  return version;
}
