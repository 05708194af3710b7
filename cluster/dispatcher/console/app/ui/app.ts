// The console's frame: the header with its navigation and theme toggle, the banner when the cluster
// does not answer, and the page the hash names.
import { OverviewView } from '../views/overview.ts';
import { JobView } from '../views/job.ts';
import { TaskManagersView } from '../views/taskmanagers.ts';
import { TraceView } from '../views/trace.ts';
import { formatDuration } from '../lib/format.ts';
import { useConnection } from './connection.ts';
import { html, useEffect, useState } from './html.ts';
import { type Route, useRoute } from './router.ts';
import { ThemeToggle } from './theme.ts';

export function App() {
  const route = useRoute();
  return html`<div class="app">
    <header class="topbar">
      <a class="brand" href="#/"><span class="brand-mark">≋</span> Weir</a>
      <nav>
        <a href="#/" class=${route.view === 'overview' || route.view === 'job' ? 'active' : ''}>Overview</a>
        <a href="#/taskmanagers" class=${route.view === 'taskmanagers' ? 'active' : ''}>TaskManagers</a>
        <a href="#/trace" class=${route.view === 'trace' ? 'active' : ''}>Message trace</a>
      </nav>
      <div class="topbar-end"><${ThemeToggle} /></div>
    </header>
    <${Banner} />
    <main>${page(route)}</main>
  </div>`;
}

function page(route: Route) {
  switch (route.view) {
    case 'overview':
      return html`<${OverviewView} />`;
    case 'job':
      return html`<${JobView} key=${route.jobId} jobId=${route.jobId} />`;
    case 'taskmanagers':
      return html`<${TaskManagersView} />`;
    case 'trace':
      return html`<${TraceView} job=${route.job} />`;
    case 'not-found':
      return html`<div class="empty">Nothing at ${route.hash}. <a href="#/">Back to the overview</a>.</div>`;
  }
}

/** The cluster stopped answering: say so above the last data, and for how long. */
function Banner() {
  const connection = useConnection();
  const [, setNow] = useState(0);
  useEffect(() => {
    if (connection.reachable) return;
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [connection.reachable]);
  if (connection.reachable) return html`<div class="banner-slot"></div>`;
  const since = connection.since === null ? '' : ` for ${formatDuration(Date.now() - connection.since)}`;
  return html`<div class="banner-slot"><div class="banner" role="alert" data-testid="unreachable">
    Cannot reach the cluster at ${location.host}${since} (${connection.error}). Retrying every second; the figures below are the last ones seen.
  </div></div>`;
}
