// weir.yaml as the YAML library reads it, turned into flat entries with their lines: Flink's flat
// keys (`jobmanager.rpc.port: 6123`) and Flink 2's nested config.yaml form (`jobmanager:` /
// `  rpc:` / `    port: 6123`), or a mix, are the same key. Structure errors name the file and line.
import { type Document, LineCounter, type Node, type Pair, isMap, isScalar, isSeq, parseDocument } from 'yaml';
import { WeirError } from '../../messages/errors.ts';

/** One key with its value: the scalar's text, or what else was there (for the error). */
export interface YamlEntry {
  readonly key: string;
  readonly line: number;
  readonly value: { readonly kind: 'scalar'; readonly text: string } | { readonly kind: 'list' | 'map' };
}

/** The entries of `text` in file order; `file` names it in errors. */
export function readYamlEntries(text: string, file: string): YamlEntry[] {
  const lines = new LineCounter();
  // Duplicates are found on the flattened keys (a flat key may repeat a nested one), not by the parser.
  const document = parseDocument(text, { lineCounter: lines, uniqueKeys: false, prettyErrors: false });
  const lineOf = (offset: number): number => lines.linePos(offset).line;
  const root = document.contents as Document['contents'];
  const [error] = document.errors;
  if (error) {
    const reason = error.message.split('\n')[0];
    // An unclosed quote or bracket is reported where the parser gave up, the end of the file: the
    // pair it belongs to names the key and the line the user was writing.
    const pair = error.code === 'MISSING_CHAR' && isMap(root) ? pairAround(root.items as Pair[], error.pos[0], '') : undefined;
    if (pair) throw new WeirError('INVALID_CONFIG', `${file}:${lineOf(pair.start)}: key "${pair.key}" is not valid YAML: ${reason}`);
    const line = lineOf(error.pos[0]);
    throw new WeirError('INVALID_CONFIG', `${file}:${line}: not valid YAML: ${reason}: ${JSON.stringify(text.split(/\r?\n/)[line - 1]?.trim() ?? '')}`);
  }
  if (root === null || (isScalar(root) && root.value === null)) return [];
  if (!isMap(root)) throw new WeirError('INVALID_CONFIG', `${file}:${lineOf(rangeStart(root))}: expects "key: value" lines, got ${describeNode(root)}`);
  const entries: YamlEntry[] = [];
  const visit = (pairs: readonly Pair[], prefix: string): void => {
    for (const pair of pairs) {
      const keyNode = pair.key as Node | null;
      if (!isScalar(keyNode) || keyNode.value === null || typeof keyNode.value === 'object') {
        throw new WeirError('INVALID_CONFIG', `${file}:${lineOf(rangeStart(keyNode))}: expects a key name, got ${keyNode === null ? 'nothing' : describeNode(keyNode)}`);
      }
      const key = prefix + String(keyNode.value);
      const line = lineOf(rangeStart(keyNode));
      const value = pair.value as Node | null;
      if (isMap(value)) visit(value.items as Pair[], `${key}.`);
      else if (isSeq(value)) entries.push({ key, line, value: { kind: 'list' } });
      else entries.push({ key, line, value: { kind: 'scalar', text: scalarText(value) } });
    }
  };
  visit(root.items as Pair[], '');
  return entries;
}

/** The innermost pair whose key starts before `offset` and whose value reaches it, with its full key. */
function pairAround(pairs: readonly Pair[], offset: number, prefix: string): { readonly key: string; readonly start: number } | undefined {
  for (const pair of pairs) {
    const keyNode = pair.key as Node | null;
    const value = pair.value as Node | null;
    const start = rangeStart(keyNode);
    const end = value?.range?.[2] ?? keyNode?.range?.[2] ?? start;
    if (!isScalar(keyNode) || offset < start || offset > end) continue;
    const key = prefix + String(keyNode.value);
    return (isMap(value) ? pairAround(value.items as Pair[], offset, `${key}.`) : undefined) ?? { key, start };
  }
  return undefined;
}

/** The text as written for a plain scalar (6123, 0x10, 10 s), the string for a quoted one; '' for none. */
function scalarText(node: Node | null): string {
  if (node === null || !isScalar(node)) return '';
  if (typeof node.value === 'string') return node.value;
  if (node.value === null) return '';
  return (node as { source?: string }).source ?? String(node.value);
}

function rangeStart(node: Node | null): number {
  return node?.range?.[0] ?? 0;
}

function describeNode(node: Node): string {
  if (isSeq(node)) return 'a list';
  if (isMap(node)) return 'a map';
  return JSON.stringify(isScalar(node) ? String(node.value) : String(node));
}
