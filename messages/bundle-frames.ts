// Stack frames of a job bundle, mapped back to the user's sources through the bundle's own inline
// source map (api/client/bundle.ts). Node maps frames itself only when the module it loaded still
// ends with that map, and a loader may replace it: tsx rewrites every module with an import() and
// appends a map to the bundle file itself. So a process that imports a bundle registers its map
// here, and toErrorInfo maps what is left: frames still naming the bundle's file.
import { SourceMap, type SourceMapPayload } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** The map esbuild appends (sourcemap: 'inline'): the last line of the bundle. */
const INLINE_SOURCE_MAP = /\n\/\/# sourceMappingURL=data:application\/json;base64,([A-Za-z0-9+/=]+)\s*$/;

/** "at fn (location:line:column)" or "at location:line:column": the prefix, the location, line, column and the rest. */
const FRAME = /^(\s*at (?:.+ \()?)(.+):(\d+):(\d+)(\)?)$/;

interface RegisteredMap {
  readonly base64: string;
  /** Decoded on the first frame that needs it: most bundles never fail. */
  map?: SourceMap;
}

/** By the path of the file each bundle was imported from. */
const bundles = new Map<string, RegisteredMap>();

/**
 * Registers the inline source map of `code`, imported from `file`; returns the way to forget it (the
 * job's code is released). A bundle without an inline map registers nothing.
 */
export function registerBundleSourceMap(file: string, code: string): () => void {
  const base64 = INLINE_SOURCE_MAP.exec(code)?.[1];
  if (base64 === undefined) return () => undefined;
  const registered: RegisteredMap = { base64 };
  bundles.set(file, registered);
  return () => {
    if (bundles.get(file) === registered) bundles.delete(file);
  };
}

/** `stack` with each frame in a registered bundle naming the source file, line and column it came from. */
export function mapBundleFrames(stack: string): string {
  if (bundles.size === 0) return stack;
  return stack
    .split('\n')
    .map(mapFrame)
    .join('\n');
}

function mapFrame(line: string): string {
  const match = FRAME.exec(line);
  if (!match) return line;
  const [, prefix, location, lineNumber, columnNumber, suffix] = match as unknown as [string, string, string, string, string, string];
  const file = location.startsWith('file:') ? fileURLToPath(location) : location;
  const registered = bundles.get(file);
  if (!registered) return line;
  registered.map ??= new SourceMap(JSON.parse(Buffer.from(registered.base64, 'base64').toString('utf8')) as SourceMapPayload);
  const entry = registered.map.findEntry(Number(lineNumber) - 1, Number(columnNumber) - 1);
  if (!('originalSource' in entry)) return line;
  const source = sourcePath(registered.map.payload, entry.originalSource, file);
  return `${prefix}${source}:${entry.originalLine + 1}:${entry.originalColumn + 1}${suffix}`;
}

/** A source of the map as a path: relative to its sourceRoot, as Node resolves a map's sources. */
function sourcePath(payload: SourceMapPayload, source: string, bundleFile: string): string {
  const url = new URL(`${payload.sourceRoot ?? ''}${source}`, pathToFileURL(bundleFile));
  return url.protocol === 'file:' ? fileURLToPath(url) : url.href;
}
