// Where a piece of code sits in a fixture, as a stack frame names it: specs that expect the user's
// frame of a throw compute it from the fixture's text, so that editing the fixture moves both.
import { readFileSync } from 'node:fs';

/** `file:line:column` (1-based) of the first occurrence of `marker` in `file`; throws if there is none. */
export function sourcePosition(file: string, marker: string): string {
  const lines = readFileSync(file, 'utf8').split('\n');
  const line = lines.findIndex((text) => text.includes(marker));
  if (line === -1) throw new Error(`${file} has no "${marker}"`);
  return `${file}:${line + 1}:${lines[line]!.indexOf(marker) + 1}`;
}
