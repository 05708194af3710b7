// A MiniCluster with its REST API on a free port, and HTTP clients for the specs: fetch for JSON,
// and a raw request for what fetch would normalise (dot segments, odd encodings).
import type { ExecutionContext } from 'ava';
import { request } from 'node:http';
import { interval } from 'rxjs';
import type { JobModule } from '../../../../api/index.ts';
import { MiniCluster, type MiniClusterOptions } from '../../../../cluster/minicluster.ts';

export interface RestCluster {
  readonly cluster: MiniCluster;
  readonly url: string;
}

export async function startRestCluster(t: ExecutionContext, options: MiniClusterOptions = {}): Promise<RestCluster> {
  const cluster = await MiniCluster.start({ log: { level: 'off' }, rest: { port: 0 }, ...options });
  t.teardown(() => cluster.close());
  if (!cluster.restUrl) throw new Error('the mini cluster started no REST API');
  return { cluster, url: cluster.restUrl };
}

export interface JsonResponse {
  readonly status: number;
  readonly contentType: string | null;
  readonly body: unknown;
}

/** A request and its JSON answer; fails loudly when the answer is not JSON. */
export async function fetchJson(url: string, init: RequestInit = {}): Promise<JsonResponse> {
  const response = await fetch(url, { ...init, signal: AbortSignal.timeout(10_000) });
  const text = await response.text();
  let body: unknown;
  try {
    body = text === '' ? undefined : JSON.parse(text);
  } catch {
    throw new Error(`${init.method ?? 'GET'} ${url} answered ${response.status} with non-JSON: ${text.slice(0, 200)}`);
  }
  return { status: response.status, contentType: response.headers.get('content-type'), body };
}

/** GET `path` and its JSON body, which must come with `status` (default 200). */
export async function getJson<T = Record<string, unknown>>(t: ExecutionContext, url: string, path: string, status = 200): Promise<T> {
  const response = await fetchJson(url + path);
  t.is(response.status, status, `GET ${path}: ${JSON.stringify(response.body)}`);
  t.is(response.contentType, 'application/json', `GET ${path}`);
  return response.body as T;
}

/** The path exactly as given (fetch resolves dot segments; a hostile client does not). */
export function rawRequest(url: string, method: string, path: string, body?: string): Promise<{ status: number; headers: Record<string, unknown>; text: string }> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const req = request({ host: hostname, port, method, path, timeout: 10_000, headers: body === undefined ? {} : { 'content-length': Buffer.byteLength(body) } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text }));
    });
    req.on('timeout', () => req.destroy(new Error(`${method} ${path} got no answer within 10 s`)));
    req.on('error', reject);
    req.end(body);
  });
}

/** A job that runs until cancelled: a source ticking every 5 ms into a map and a sink. */
export const tickingJob = (name: string): JobModule => (env) => {
  env.setJobName(name);
  env
    .fromObservable(() => interval(5))
    .map((tick) => tick * 2)
    .sinkTo(() => {});
};

/** One Server-Sent Event. */
export interface SseEvent {
  readonly event: string;
  readonly data: string;
}

export interface SseStream {
  readonly status: number;
  readonly contentType: string | null;
  /** The next event that `matches`, skipping others; rejects naming `what` after `timeoutMs`, or when the stream ends. */
  next(what: string, matches?: (event: SseEvent) => boolean, timeoutMs?: number): Promise<SseEvent>;
  /** Resolves once the server ended the stream (bounded). */
  ended(timeoutMs?: number): Promise<void>;
  close(): void;
}

/** Opens an event stream; closed in teardown. */
export async function openSse(t: ExecutionContext, url: string): Promise<SseStream> {
  const abort = new AbortController();
  t.teardown(() => abort.abort());
  const response = await fetch(url, { signal: abort.signal });
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  let done = false;
  const events: SseEvent[] = [];
  const pump = async (): Promise<void> => {
    const chunk = await reader.read();
    if (chunk.done) {
      done = true;
      return;
    }
    buffer += decoder.decode(chunk.value, { stream: true });
    let end: number;
    while ((end = buffer.indexOf('\n\n')) !== -1) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const lines = block.split('\n').filter((line) => !line.startsWith(':'));
      if (lines.length === 0) continue;
      const field = (name: string): string => lines.filter((line) => line.startsWith(`${name}:`)).map((line) => line.slice(name.length + 1).trimStart()).join('\n');
      events.push({ event: field('event') || 'message', data: field('data') });
    }
  };
  const bounded = async <T>(what: string, timeoutMs: number, attempt: () => T | undefined): Promise<T> => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = attempt();
      if (found !== undefined) return found;
      if (done) throw new Error(`the event stream ended before ${what}`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`${what} did not come within ${timeoutMs} ms`);
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([pump(), new Promise((resolve) => (timer = setTimeout(resolve, left)))]).finally(() => clearTimeout(timer));
    }
  };
  return {
    status: response.status,
    contentType: response.headers.get('content-type'),
    next: (what, matches = () => true, timeoutMs = 5_000) =>
      bounded(what, timeoutMs, () => {
        while (events.length > 0) {
          const event = events.shift()!;
          if (matches(event)) return event;
        }
        return undefined;
      }),
    ended: async (timeoutMs = 5_000) => {
      const deadline = Date.now() + timeoutMs;
      while (!done) {
        if (Date.now() > deadline) throw new Error(`the event stream did not end within ${timeoutMs} ms`);
        let timer: NodeJS.Timeout | undefined;
        await Promise.race([pump().catch(() => void (done = true)), new Promise((resolve) => (timer = setTimeout(resolve, deadline - Date.now())))]).finally(() => clearTimeout(timer));
      }
    },
    close: () => abort.abort(),
  };
}

/** A bound on a job or a condition in these specs: generous, as the machine may be loaded (it fails loudly all the same). */
export const SLOW_MS = 30_000;
