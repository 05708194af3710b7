// Hash routing: #/ (overview), #/jobs/<id>, #/taskmanagers, #/trace?job=<id>. The hash keeps the
// console one static page the REST server serves at `/`.
import { useEffect, useState } from './html.ts';

export type Route =
  | { readonly view: 'overview' }
  | { readonly view: 'job'; readonly jobId: string }
  | { readonly view: 'taskmanagers' }
  | { readonly view: 'trace'; readonly job: string }
  | { readonly view: 'not-found'; readonly hash: string };

export function parseRoute(hash: string): Route {
  const [path = '', query = ''] = hash.replace(/^#/, '').split('?');
  const parts = path.split('/').filter((part) => part !== '');
  if (parts.length === 0 || (parts.length === 1 && parts[0] === 'overview')) return { view: 'overview' };
  if (parts[0] === 'jobs' && parts.length === 2) return { view: 'job', jobId: decodeURIComponent(parts[1] as string) };
  if (parts[0] === 'taskmanagers' && parts.length === 1) return { view: 'taskmanagers' };
  if (parts[0] === 'trace' && parts.length === 1) return { view: 'trace', job: new URLSearchParams(query).get('job') ?? '' };
  return { view: 'not-found', hash };
}

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(location.hash));
  useEffect(() => {
    const onChange = (): void => setRoute(parseRoute(location.hash));
    addEventListener('hashchange', onChange);
    return () => removeEventListener('hashchange', onChange);
  }, []);
  return route;
}

export const jobHref = (jobId: string): string => `#/jobs/${encodeURIComponent(jobId)}`;
export const traceHref = (jobId?: string): string => (jobId ? `#/trace?job=${encodeURIComponent(jobId)}` : '#/trace');
