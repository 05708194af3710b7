// Hostile HTTP at a REST port, for the fuzz spec: random methods, paths (Flink's routes, unknown and
// malformed ids, traversal in its encoded spellings, percent-encoding that does not decode, very long
// paths), headers and bodies (malformed JSON, random bytes, oversized), plus raw TCP that is not
// HTTP, a request cut off mid-header and a slow sender. Every answer must be a clean 2xx-4xx: a 5xx
// or a dropped connection on a well-formed request is a finding.
import { request } from 'node:http';
import { connect } from 'node:net';

export interface RandomSource {
  next(): number;
  int(below: number): number;
  pick<T>(items: readonly T[]): T;
}

export interface RestFuzzFigures {
  requests: number;
  /** Answers by status class: "2xx", "4xx", ... */
  readonly statuses: Record<string, number>;
  /** Well-formed requests answered with 5xx or not at all, with what was sent. */
  readonly findings: string[];
  rawConnections: number;
}

const JOB = '00000000000000000000000000000000';
const PATHS = [
  '/overview', '/config', '/jobs', '/jobs/overview', `/jobs/${JOB}`, `/jobs/${JOB}/exceptions`, `/jobs/${JOB}/checkpoints`,
  `/jobs/${JOB}/vertices/v`, `/jobs/${JOB}/vertices/v/watermarks`, `/jobs/${JOB}/vertices/v/input-watermarks`, `/jobs/${JOB}/vertices/v/backpressure`,
  '/taskmanagers', '/taskmanagers/nope', '/jobmanager/metrics', '/jobmanager/metrics?get=Status.JVM.Memory.Heap.Used', '/jobmanager/metrics?get=' + 'x,'.repeat(2_000), '/trace?type=%2A&job=x', '/login', '/logout', '/', '/app.js', '/index.html',
  '/jobs/not-a-job-id', '/jobs/%00', '/jobs/../config', '/jobs/%2e%2e/config', '/jobs/%2E%2E%2Fconfig', '/%5c..%5cetc%5cpasswd',
  '/jobs/%zz', '/jobs/%E0%A4%A', '/..%2f..%2fetc/passwd', '/jobs//vertices', '/trace?type=' + '*'.repeat(300), '/jobs?' + 'a=1&'.repeat(500),
];
const METHODS = ['GET', 'GET', 'GET', 'POST', 'PATCH', 'PUT', 'DELETE', 'HEAD', 'OPTIONS'];
const BODIES: ReadonlyArray<(random: RandomSource) => Buffer | undefined> = [
  () => undefined,
  () => Buffer.from('{"mode": "cancel"'),
  () => Buffer.from('{"a":' + '['.repeat(5_000)),
  (random) => Buffer.from(Array.from({ length: 1 + random.int(2_000) }, () => random.int(256))),
  () => Buffer.alloc(200 * 1024, 0x41),
  () => Buffer.from('secret=' + 'x'.repeat(10_000)),
];

function oneRequest(url: URL, method: string, path: string, headers: Record<string, string>, body: Buffer | undefined): Promise<number | string> {
  return new Promise((resolve) => {
    const req = request({ host: url.hostname, port: url.port, method, path, headers: { ...headers, ...(body ? { 'content-length': String(body.length) } : {}) }, timeout: 10_000 }, (res) => {
      // A trace stream never ends by itself: its status is the answer.
      res.destroy();
      resolve(res.statusCode ?? 0);
    });
    req.on('timeout', () => {
      req.destroy();
      resolve('no answer within 10 s');
    });
    req.on('error', (error: Error) => resolve(`connection error: ${error.message}`));
    req.end(body);
  });
}

function raw(url: URL, bytes: Buffer, lingerMs: number): Promise<void> {
  return new Promise((resolve) => {
    const socket = connect(Number(url.port), url.hostname, () => {
      socket.write(bytes);
      setTimeout(() => socket.destroy(), lingerMs);
    });
    socket.on('error', () => undefined);
    socket.on('close', () => resolve());
    socket.resume();
  });
}

export async function fuzzRest(random: RandomSource, baseUrl: string, requests: number): Promise<RestFuzzFigures> {
  const url = new URL(baseUrl);
  const figures: RestFuzzFigures = { requests: 0, statuses: {}, findings: [], rawConnections: 0 };
  for (let index = 0; index < requests; index++) {
    const method = random.pick(METHODS);
    const path = random.int(10) === 0 ? '/' + 'a'.repeat(10_000 + random.int(50_000)) : random.pick(PATHS);
    const headers: Record<string, string> = {};
    if (random.int(4) === 0) headers['content-type'] = random.pick(['application/json', 'application/x-www-form-urlencoded', 'text/plain', 'multipart/form-data; boundary=x', '\u00ff']);
    if (random.int(6) === 0) headers.authorization = random.pick(['Bearer ', 'Bearer x', 'Basic Zm9vOmJhcg==', 'Bearer ' + 'y'.repeat(4_000)]);
    if (random.int(6) === 0) headers.origin = random.pick(['https://evil.example', 'null', 'not a url']);
    if (random.int(8) === 0) headers.cookie = `weir_session=${'z'.repeat(random.int(3_000))}`;
    const body = method === 'GET' || method === 'HEAD' ? undefined : random.pick(BODIES)(random);
    const status = await oneRequest(url, method, path, headers, body);
    figures.requests++;
    const key = typeof status === 'number' ? `${Math.floor(status / 100)}xx` : 'failed';
    figures.statuses[key] = (figures.statuses[key] ?? 0) + 1;
    // Node's server answers an oversized header block (431) or a URL past its limit itself; anything
    // 5xx, or no answer at all, is ours.
    if (typeof status !== 'number' || status >= 500) figures.findings.push(`${method} ${path.slice(0, 80)} -> ${status}`);
  }
  const garbage = [
    Buffer.from(Array.from({ length: 4_096 }, () => random.int(256))),
    Buffer.from('GET /overview HTTP/1.1\r\nHost: x\r\nX-Half: '),
    Buffer.from('\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03'),
    Buffer.from('POST /login HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\nsecret='),
  ];
  for (const bytes of garbage) {
    await raw(url, bytes, 200);
    figures.rawConnections++;
  }
  // Slow senders: a dozen connections trickling a header byte now and then, dropped after a while.
  await Promise.all(Array.from({ length: 12 }, () => raw(url, Buffer.from('GET /overview HTTP/1.1\r\nHo'), 500)));
  figures.rawConnections += 12;
  return figures;
}
