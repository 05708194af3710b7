import test from 'ava';
import * as api from '../../api/index.ts';
import * as entry from '../../index.ts';

// Values only: types vanish at run time, and tsc checks that nothing imports internals from here.
const RUNTIME_INTERNALS = ['planJob', 'createJobExecutor', 'registerJobExecutorFactory', 'CollectChannel', 'openLocalCollect', 'COLLECT_SINK_KIND', 'COLLECT_BUFFER_RECORDS'];

test('the API a job module imports exports no runtime internals', (t) => {
  for (const name of RUNTIME_INTERNALS) t.false(name in api, `api/index.ts exports ${name}`);
  t.is(typeof api.StreamExecutionEnvironment, 'function');
});

test('the package entry exports the API, the client and the mini cluster, but no runtime internals', (t) => {
  for (const name of RUNTIME_INTERNALS) t.false(name in entry, `index.ts exports ${name}`);
  t.is(typeof entry.WeirClient, 'function');
  t.is(typeof entry.MiniCluster, 'function');
});
