// The ExecutionGraph: one execution per subtask of every vertex, their states, and the job-level
// questions the JobManager asks of them.
import test from 'ava';
import { ExecutionGraph } from '../../../cluster/jobmanager/execution-graph.ts';
import { type ExecutionAttemptId, resourceId } from '../../../messages/ids.ts';
import { graph, vertex } from '../helpers.ts';

const twoVertices = () => graph([vertex('source', 2), vertex('sink', 3)]);

test('it has one CREATED execution per subtask, vertex by vertex, each with its own attempt id', (t) => {
  const executions = new ExecutionGraph(twoVertices()).executions;
  t.deepEqual(
    executions.map((e) => `${e.vertex.id}/${e.subtaskIndex}#${e.attemptNumber}:${e.state}`),
    ['source/0#0:CREATED', 'source/1#0:CREATED', 'sink/0#0:CREATED', 'sink/1#0:CREATED', 'sink/2#0:CREATED'],
  );
  t.is(new Set(executions.map((e) => e.attemptId)).size, 5);
});

test('get finds an execution by attempt id, and nothing for an unknown one', (t) => {
  const executionGraph = new ExecutionGraph(twoVertices());
  const third = executionGraph.executions[2];
  t.is(executionGraph.get(third.attemptId), third);
  t.is(executionGraph.get('unknown' as ExecutionAttemptId), undefined);
});

test('update applies a state and its error, and refuses unknown attempts', (t) => {
  const executionGraph = new ExecutionGraph(twoVertices());
  const [first] = executionGraph.executions;
  t.true(executionGraph.update(first.attemptId, 'RUNNING'));
  t.is(first.state, 'RUNNING');
  t.true(executionGraph.update(first.attemptId, 'FAILED', { name: 'Error', message: 'boom' }));
  t.deepEqual(first.error, { name: 'Error', message: 'boom' });
  t.false(executionGraph.update('unknown' as ExecutionAttemptId, 'RUNNING'));
});

test('a terminal state is final: later updates are refused and change nothing', (t) => {
  const executionGraph = new ExecutionGraph(twoVertices());
  const [first] = executionGraph.executions;
  executionGraph.update(first.attemptId, 'FINISHED');
  t.false(executionGraph.update(first.attemptId, 'FAILED', { name: 'Error', message: 'late' }));
  t.is(first.state, 'FINISHED');
  t.is(first.error, undefined);
});

test('allFinished only when every execution FINISHED; allTerminal when each ended in any way', (t) => {
  const executionGraph = new ExecutionGraph(graph([vertex('v', 3)]));
  const [a, b, c] = executionGraph.executions;
  t.false(executionGraph.allFinished);
  t.false(executionGraph.allTerminal);
  executionGraph.update(a.attemptId, 'FINISHED');
  executionGraph.update(b.attemptId, 'CANCELED');
  t.false(executionGraph.allTerminal);
  t.deepEqual(executionGraph.nonTerminal(), [c]);
  executionGraph.update(c.attemptId, 'FAILED');
  t.true(executionGraph.allTerminal);
  t.false(executionGraph.allFinished);
  t.deepEqual(executionGraph.nonTerminal(), []);
});

test('allFinished holds once every execution finished', (t) => {
  const executionGraph = new ExecutionGraph(graph([vertex('v', 2)]));
  for (const execution of executionGraph.executions) executionGraph.update(execution.attemptId, 'FINISHED');
  t.true(executionGraph.allFinished);
  t.true(executionGraph.allTerminal);
});

test('onTaskManager lists the executions placed on that TaskManager', (t) => {
  const executionGraph = new ExecutionGraph(twoVertices());
  executionGraph.executions.forEach((execution) => (execution.resourceId = resourceId(execution.subtaskIndex === 0 ? 'tm-0' : 'tm-1')));
  t.deepEqual(
    executionGraph.onTaskManager(resourceId('tm-0')).map((e) => `${e.vertex.id}/${e.subtaskIndex}`),
    ['source/0', 'sink/0'],
  );
  t.deepEqual(executionGraph.onTaskManager(resourceId('tm-9')), []);
});

test('details lists every vertex with the state of each subtask in subtask order', (t) => {
  const executionGraph = new ExecutionGraph(twoVertices());
  const sink1 = executionGraph.executions[3];
  executionGraph.update(sink1.attemptId, 'RUNNING');
  t.deepEqual(executionGraph.details(), [
    { id: 'source', name: 'Vertex source', parallelism: 2, subtasks: ['CREATED', 'CREATED'] },
    { id: 'sink', name: 'Vertex sink', parallelism: 3, subtasks: ['CREATED', 'RUNNING', 'CREATED'] },
  ]);
});
