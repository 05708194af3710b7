// Binding collect sinks to the receiver of the execution that reads them.
import test from 'ava';
import { COLLECT_SINK_KIND, bindCollectSinks, collectTargetOf } from '../../../api/collect/target.ts';
import type { JobGraph } from '../../../messages/job-graph.ts';

const graph: JobGraph = {
  name: 'two sinks',
  maxParallelism: 128,
  runtimeMode: 'BATCH',
  vertices: [
    {
      id: 'source-0',
      name: 'Source -> Sink: Collect',
      parallelism: 1,
      bounded: true,
      inputs: [],
      operators: [
        { id: 'source-0', kind: 'source-sequence', name: 'Source', config: {} },
        { id: 'sink-collect-1', kind: COLLECT_SINK_KIND, name: 'Sink: Collect', config: { target: null, input: 'source-0' } },
        { id: 'sink-collect-2', kind: COLLECT_SINK_KIND, name: 'Sink: Collect', config: { target: null, input: 'source-0' } },
      ],
    },
  ],
};

test('bindCollectSinks gives the bound sinks the target and leaves the others unbound', (t) => {
  const target = { kind: 'remote', receiver: 'weir://client-1@127.0.0.1:4000/user/collect-0' } as const;
  const bound = bindCollectSinks(graph, { target, operatorIds: ['sink-collect-2'] });
  const [, first, second] = bound.vertices[0].operators;
  t.deepEqual(first.config, { target: null, input: 'source-0' });
  t.deepEqual(second.config, { target, input: 'source-0' });
  t.deepEqual(graph.vertices[0].operators[2].config.target, null, 'the planned graph is not changed');
});

test('bindCollectSinks fails with PLAN_MISMATCH when the module did not declare a sink the client reads', (t) => {
  const error = t.throws(() => bindCollectSinks(graph, { target: { kind: 'local', channel: 'c' }, operatorIds: ['sink-collect-9'] }));
  t.is((error as { code?: string }).code, 'PLAN_MISMATCH');
  t.regex(error?.message ?? '', /job "two sinks": the job module's default export did not declare the collect sink\(s\) "sink-collect-9"/);
});

test('collectTargetOf checks the target that arrives as data', (t) => {
  t.is(collectTargetOf({}, 'op'), null);
  t.deepEqual(collectTargetOf({ target: { kind: 'local', channel: 'a' } }, 'op'), { kind: 'local', channel: 'a' });
  const error = t.throws(() => collectTargetOf({ target: { kind: 'remote' } }, 'operator "Sink: Collect" (id "c")'));
  t.is((error as { code?: string }).code, 'COLLECT_FAILED');
  t.regex(error?.message ?? '', /operator "Sink: Collect" \(id "c"\): its collect target is not a local channel or a remote receiver/);
});
