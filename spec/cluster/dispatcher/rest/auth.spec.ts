// The REST API and console with security.auth.secret: the secret as a bearer token, or a login that
// sets an HttpOnly, SameSite=Strict session cookie; nothing else gets past 401 (a browser asking for
// a page is sent to /login). Requests that change state are refused cross-site, with or without a
// secret. With security.ssl.rest the same over https, the cookie Secure.
import test from 'ava';
import { Agent, request as httpsRequest } from 'node:https';
import { AuthSecret } from '../../../../actors/index.ts';
import { createCertificateAuthority } from '../../../testkit/tls-certificates.ts';
import { fetchJson, startRestCluster } from './helpers.ts';

const SECRET = 'the REST spec secret, 33 bytes.!!';

test('without the secret the API answers 401 naming both ways in; a bearer token with it is let through', async (t) => {
  const { url } = await startRestCluster(t, { rest: { port: 0, secret: AuthSecret.from(SECRET) } });
  const none = await fetchJson(`${url}/overview`);
  t.is(none.status, 401);
  t.deepEqual(none.body, { errors: ['authentication required: send the cluster\'s secret as "Authorization: Bearer <secret>", or log in at /login'] });
  const wrong = await fetchJson(`${url}/overview`, { headers: { Authorization: 'Bearer not the secret of this cluster' } });
  t.is(wrong.status, 401);
  t.deepEqual(wrong.body, { errors: ['authentication failed: the bearer token is not the cluster\'s secret (security.auth.secret)'] });
  const right = await fetchJson(`${url}/overview`, { headers: { Authorization: `Bearer ${SECRET}` } });
  t.is(right.status, 200);
  t.is((right.body as { taskmanagers: number }).taskmanagers, 1);
  const trace = await fetch(`${url}/trace`, { signal: AbortSignal.timeout(5_000) });
  t.is(trace.status, 401, 'the trace stream too');
});

test('a browser is sent to the login page; the right secret sets an HttpOnly SameSite=Strict session that opens the API and console', async (t) => {
  const { url } = await startRestCluster(t, { rest: { port: 0, secret: AuthSecret.from(SECRET) } });
  const page = await fetch(`${url}/`, { headers: { Accept: 'text/html' }, redirect: 'manual' });
  t.is(page.status, 303);
  t.is(page.headers.get('location'), '/login');
  const login = await fetch(`${url}/login`);
  t.is(login.status, 200);
  t.regex(await login.text(), /<form method="post" action="\/login">/);
  const failed = await fetch(`${url}/login`, { method: 'POST', body: new URLSearchParams({ secret: 'wrong wrong wrong wrong wrong' }), redirect: 'manual' });
  t.is(failed.status, 401);
  t.regex(await failed.text(), /That is not the cluster&#39;s secret\./);
  t.is(failed.headers.get('set-cookie'), null);
  const ok = await fetch(`${url}/login`, { method: 'POST', body: new URLSearchParams({ secret: SECRET }), redirect: 'manual' });
  t.is(ok.status, 303);
  t.is(ok.headers.get('location'), '/');
  const cookie = ok.headers.get('set-cookie') ?? '';
  t.regex(cookie, /^weir_session=[A-Za-z0-9_-]{43}; Max-Age=28800; Path=\/; HttpOnly; SameSite=Strict$/);
  const session = cookie.split(';')[0]!;
  t.is((await fetchJson(`${url}/jobs/overview`, { headers: { Cookie: session } })).status, 200);
  const consolePage = await fetch(`${url}/`, { headers: { Cookie: session, Accept: 'text/html' } });
  t.is(consolePage.status, 200);
  t.is((await fetchJson(`${url}/jobs/overview`, { headers: { Cookie: 'weir_session=made-up' } })).status, 401);
  const out = await fetch(`${url}/logout`, { method: 'POST', headers: { Cookie: session }, redirect: 'manual' });
  t.is(out.status, 303);
  t.is((await fetchJson(`${url}/jobs/overview`, { headers: { Cookie: session } })).status, 401, 'logged out');
});

test('a request that changes state is refused cross-site, with or without a secret; same-origin and non-browser clients pass', async (t) => {
  const { url } = await startRestCluster(t);
  const unknownJob = `${url}/jobs/00000000000000000000000000000000?mode=cancel`;
  const crossSite = await fetchJson(unknownJob, { method: 'PATCH', headers: { 'Sec-Fetch-Site': 'cross-site' } });
  t.is(crossSite.status, 403);
  t.deepEqual(crossSite.body, { errors: ['cross-site PATCH refused (Sec-Fetch-Site: cross-site): the REST API changes state only for requests from its own origin'] });
  const foreignOrigin = await fetchJson(unknownJob, { method: 'PATCH', headers: { Origin: 'https://evil.example' } });
  t.is(foreignOrigin.status, 403);
  t.deepEqual(foreignOrigin.body, { errors: ['cross-site PATCH refused (Origin: https://evil.example): the REST API changes state only for requests from its own origin'] });
  // The same origin, and a client that names none (curl, scripts), reach the route (here: an unknown job).
  t.is((await fetchJson(unknownJob, { method: 'PATCH', headers: { Origin: url, 'Sec-Fetch-Site': 'same-origin' } })).status, 404);
  t.is((await fetchJson(unknownJob, { method: 'PATCH' })).status, 404);
  // Reading is not refused: a GET changes nothing.
  t.is((await fetchJson(`${url}/overview`, { headers: { 'Sec-Fetch-Site': 'cross-site' } })).status, 200);
});

test('with security.ssl.rest the API is https only, and the session cookie is Secure', async (t) => {
  const authority = createCertificateAuthority('rest');
  t.teardown(() => authority.dispose());
  const { cert, key, ca } = authority.issue('rest');
  const { url } = await startRestCluster(t, { rest: { port: 0, secret: AuthSecret.from(SECRET), tls: { cert, key } } });
  t.regex(url, /^https:\/\/127\.0\.0\.1:\d+$/);
  const agent = new Agent({ ca });
  const post = (path: string, body: string): Promise<{ status: number; cookie: string }> =>
    new Promise((resolve, reject) => {
      const req = httpsRequest(`${url}${path}`, { method: 'POST', agent, headers: { 'content-type': 'application/x-www-form-urlencoded' } }, (res) => {
        res.resume();
        resolve({ status: res.statusCode ?? 0, cookie: String(res.headers['set-cookie'] ?? '') });
      });
      req.on('error', reject);
      req.end(body);
    });
  const login = await post('/login', new URLSearchParams({ secret: SECRET }).toString());
  t.is(login.status, 303);
  t.regex(login.cookie, /; Path=\/; HttpOnly; Secure; SameSite=Strict$/);
  const plain = await fetch(url.replace('https:', 'http:') + '/overview', { signal: AbortSignal.timeout(5_000) }).then(
    (response) => `answered ${response.status}`,
    () => 'refused',
  );
  t.is(plain, 'refused', 'plain http gets no answer from the https server');
});
