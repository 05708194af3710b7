// Flink's port syntax for a server that may share its host with others of its kind: a port, a range
// ("50100-50200"), or a comma-separated list of both ("50100,50200-50300"); "0" alone is any free
// port. A process binds the first port of the list that is free (see bindInRange).

/** The ports to try, in order; [{ from: 0, to: 0 }] is "any free port". */
export type PortRange = readonly { readonly from: number; readonly to: number }[];

export const ANY_PORT: PortRange = [{ from: 0, to: 0 }];

export const PORT_RANGE_EXPECTS = 'a port 1..65535, a range like "50100-50200", a comma-separated list of both, or 0 (any free port)';

/** undefined when `text` is not a port range. */
export function parsePortRange(text: string): PortRange | undefined {
  if (text.trim() === '0') return ANY_PORT;
  const ranges: { from: number; to: number }[] = [];
  for (const part of text.split(',')) {
    const match = /^\s*(\d{1,5})\s*(?:-\s*(\d{1,5})\s*)?$/.exec(part);
    if (!match) return undefined;
    const from = Number(match[1]);
    const to = match[2] === undefined ? from : Number(match[2]);
    if (from < 1 || to > 65535 || to < from) return undefined;
    ranges.push({ from, to });
  }
  return ranges;
}

export function formatPortRange(range: PortRange): string {
  return range.map(({ from, to }) => (from === to ? String(from) : `${from}-${to}`)).join(',');
}

/** Every port of the range in order (0 alone for any free port). */
export function* portsOf(range: PortRange): Generator<number> {
  for (const { from, to } of range) for (let port = from; port <= to; port++) yield port;
}
