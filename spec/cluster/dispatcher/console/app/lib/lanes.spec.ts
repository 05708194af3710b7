import test from 'ava';
import { MAX_LANES, laneDiagram } from '../../../../../../cluster/dispatcher/console/app/lib/lanes.ts';

const DISPATCHER = 'weir://jobmanager@127.0.0.1:6123/user/dispatcher';
const RM = 'weir://jobmanager@127.0.0.1:6123/user/resourcemanager';
const TM = 'weir://taskmanager-0@127.0.0.1:6124/user/taskmanager';

test('lanes appear in the order actors first speak or are spoken to, and arrows follow time', (t) => {
  const diagram = laneDiagram([
    { from: TM, to: RM, type: 'RegisterTaskManager', at: 1 },
    { from: RM, to: TM, type: 'AcknowledgeRegistration', at: 2 },
    { from: null, to: DISPATCHER, type: 'SubmitJob', at: 3 },
  ]);
  t.deepEqual(
    diagram.lanes.map((lane) => lane.label),
    ['taskmanager-0/user/taskmanager', 'jobmanager/user/resourcemanager', 'jobmanager/user/dispatcher'],
  );
  t.deepEqual(
    diagram.arrows.map((arrow) => [arrow.from, arrow.to, arrow.type]),
    [
      [0, 1, 'RegisterTaskManager'],
      [1, 0, 'AcknowledgeRegistration'],
      // No known sender: drawn as a message to itself on the recipient's lane.
      [2, 2, 'SubmitJob'],
    ],
  );
  t.is(diagram.omitted, 0);
});

test('actors beyond the lane limit share one "others" lane, and a long span is cut with a count', (t) => {
  const messages = Array.from({ length: 30 }, (_unused, index) => ({ from: DISPATCHER, to: `/user/actor-${index}`, type: 'Ping', at: index }));
  const diagram = laneDiagram(messages, 20);
  t.is(diagram.lanes.length, MAX_LANES);
  t.is(diagram.lanes[MAX_LANES - 1]!.label, 'others');
  t.is(diagram.arrows.length, 20);
  t.is(diagram.omitted, 10);
  t.true(diagram.arrows.every((arrow) => arrow.to < MAX_LANES));
  t.is(diagram.arrows[19]!.to, MAX_LANES - 1);
});
