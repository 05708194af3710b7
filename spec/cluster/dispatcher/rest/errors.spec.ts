// How the REST API refuses: unknown paths and ids, wrong methods, path traversal in every encoding,
// malformed input and oversized bodies each get a clean 4xx with Flink's `{"errors": [...]}` body,
// never a file, a stack trace or a hang.
import test from 'ava';
import { within } from '../../helpers.ts';
import { fetchJson, rawRequest, startRestCluster, tickingJob, SLOW_MS } from './helpers.ts';

const UNKNOWN_JOB = '00000000-0000-0000-0000-000000000000';

test('an unknown path is a 404 naming it, as JSON', async (t) => {
  const { url } = await startRestCluster(t);
  t.deepEqual(await fetchJson(`${url}/x`), { status: 404, contentType: 'application/json', body: { errors: ['Not found: /x'] } });
  t.deepEqual(await fetchJson(`${url}/jobs/${UNKNOWN_JOB}/nothing-here`), { status: 404, contentType: 'application/json', body: { errors: [`Not found: /jobs/${UNKNOWN_JOB}/nothing-here`] } });
});

test('an unknown job id is a 404 naming it on every job route', async (t) => {
  const { url } = await startRestCluster(t);
  for (const suffix of ['', '/exceptions', '/checkpoints', '/vertices/v1', '/vertices/v1/watermarks', '/vertices/v1/backpressure']) {
    t.deepEqual(await fetchJson(`${url}/jobs/${UNKNOWN_JOB}${suffix}`), { status: 404, contentType: 'application/json', body: { errors: [`Job ${UNKNOWN_JOB} not found`] } }, suffix);
  }
});

test('a job id that cannot be one is a 400 naming it and what a job id is', async (t) => {
  const { url } = await startRestCluster(t);
  const expected = `expected a job id (letters, digits, '_', '-', '.'; not starting with '.'; at most 128 characters)`;
  t.deepEqual(await fetchJson(`${url}/jobs/a%20b`), { status: 400, contentType: 'application/json', body: { errors: [`invalid job id "a b": ${expected}`] } });
  t.deepEqual(await fetchJson(`${url}/jobs/.hidden/exceptions`), { status: 400, contentType: 'application/json', body: { errors: [`invalid job id ".hidden": ${expected}`] } });
  const long = 'j'.repeat(129);
  t.deepEqual(await fetchJson(`${url}/jobs/${long}`, { method: 'PATCH' }), { status: 400, contentType: 'application/json', body: { errors: [`invalid job id "${long}": ${expected}`] } });
});

test('an unknown vertex of a known job is a 404 naming the vertex and the job', async (t) => {
  const { cluster, url } = await startRestCluster(t);
  const handle = await cluster.submit(tickingJob('one vertex'), { parallelism: 1 });
  t.teardown(() => handle.cancel().catch(() => undefined));
  for (const suffix of ['', '/watermarks', '/backpressure']) {
    t.deepEqual(await fetchJson(`${url}/jobs/${handle.jobId}/vertices/nope${suffix}`), { status: 404, contentType: 'application/json', body: { errors: [`Vertex nope not found in job ${handle.jobId}`] } }, suffix);
  }
});

test('a method a path does not take is a 405 listing the ones it takes', async (t) => {
  const { url } = await startRestCluster(t);
  const overview = await fetch(`${url}/overview`, { method: 'POST' });
  t.is(overview.status, 405);
  t.is(overview.headers.get('allow'), 'GET, HEAD');
  t.is(overview.headers.get('content-type'), 'application/json');
  t.deepEqual(await overview.json(), { errors: ['Method POST not allowed on /overview; allowed: GET, HEAD'] });
  t.deepEqual(await fetchJson(`${url}/jobs/${UNKNOWN_JOB}`, { method: 'DELETE' }), {
    status: 405,
    contentType: 'application/json',
    body: { errors: [`Method DELETE not allowed on /jobs/${UNKNOWN_JOB}; allowed: GET, HEAD, PATCH`] },
  });
});

test('path traversal in any spelling is a 400 that reads no file', async (t) => {
  const { url } = await startRestCluster(t);
  const attempts: [string, string][] = [
    ['/jobs/../config', 'dot segments are not allowed'],
    ['/../../../../etc/passwd', 'dot segments are not allowed'],
    ['/jobs/%2e%2e/%2e%2e/etc/passwd', 'dot segments are not allowed'],
    ['/%2E%2E/%2E%2E/etc/passwd', 'dot segments are not allowed'],
    ['/jobs/./overview', 'dot segments are not allowed'],
    ['/jobs/..%2f..%2fetc%2fpasswd', '"..%2f..%2fetc%2fpasswd" encodes a path separator or NUL'],
    ['/jobs/..%5c..%5cwindows', '"..%5c..%5cwindows" encodes a path separator or NUL'],
    ['/jobs/a%00b', '"a%00b" encodes a path separator or NUL'],
    ['/jobs/%ZZ', 'malformed percent-encoding in "%ZZ"'],
  ];
  for (const [path, problem] of attempts) {
    const response = await rawRequest(url, 'GET', path);
    t.is(response.status, 400, path);
    t.is(response.headers['content-type'], 'application/json', path);
    t.deepEqual(JSON.parse(response.text), { errors: [`invalid path ${path}: ${problem}`] }, path);
    t.false(response.text.includes('root:'), `${path} read no file`);
  }
});

test('a body over the limit is a 413, and a malformed query is a 400: the server keeps answering', async (t) => {
  const { url } = await startRestCluster(t);
  const oversized = await rawRequest(url, 'PATCH', `/jobs/${UNKNOWN_JOB}?mode=cancel`, 'x'.repeat(100_000));
  t.is(oversized.status, 413);
  t.deepEqual(JSON.parse(oversized.text), { errors: ['the request body is over 65536 bytes'] });
  const malformed = await rawRequest(url, 'PATCH', `/jobs/${UNKNOWN_JOB}?mode=%ZZ`, '{"not": json');
  t.is(malformed.status, 400);
  t.deepEqual(JSON.parse(malformed.text), { errors: ['invalid mode "%ZZ": expected "cancel"'] });
  t.is((await fetchJson(`${url}/overview`)).status, 200);
});

test('GET / serves the web console: its page, then the script and style sheet the page names', async (t) => {
  const { url } = await startRestCluster(t);
  const page = await within(fetch(`${url}/`), 'GET /', SLOW_MS);
  t.is(page.status, 200);
  t.is(page.headers.get('content-type'), 'text/html; charset=utf-8');
  const html = await page.text();
  t.true(html.includes('<div id="app"></div>') && html.includes('src="app.js"') && html.includes('href="app.css"'), html);
  const script = await within(fetch(`${url}/app.js`), 'GET /app.js', SLOW_MS);
  t.is(script.headers.get('content-type'), 'text/javascript; charset=utf-8');
  t.true((await script.text()).length > 10_000);
  const styles = await within(fetch(`${url}/app.css`), 'GET /app.css', SLOW_MS);
  t.is(styles.headers.get('content-type'), 'text/css; charset=utf-8');
});
