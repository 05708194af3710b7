// A TaskManager's slot table: which allocation and job hold each slot.
import test from 'ava';
import { SlotTable } from '../../../cluster/taskmanager/slot-table.ts';
import { type AllocationId, jobId } from '../../../messages/ids.ts';

const allocation = (text: string): AllocationId => text as AllocationId;
const [jobA, jobB] = [jobId('job-a'), jobId('job-b')];

test('a new table has every slot free', (t) => {
  const table = new SlotTable(3);
  t.is(table.size, 3);
  t.deepEqual(table.report(), [
    { index: 0, allocationId: null, jobId: null },
    { index: 1, allocationId: null, jobId: null },
    { index: 2, allocationId: null, jobId: null },
  ]);
});

test('allocate takes a free slot for the allocation and its job', (t) => {
  const table = new SlotTable(2);
  t.is(table.allocate(1, allocation('a-1'), jobA), undefined);
  t.deepEqual(table.report()[1], { index: 1, allocationId: allocation('a-1'), jobId: jobA });
  t.is(table.jobOf(allocation('a-1')), jobA);
});

test('allocating the same slot to the same allocation again is accepted', (t) => {
  const table = new SlotTable(1);
  table.allocate(0, allocation('a-1'), jobA);
  t.is(table.allocate(0, allocation('a-1'), jobA), undefined);
  t.is(table.jobOf(allocation('a-1')), jobA);
});

test('a slot held by another allocation is refused, naming the job that holds it', (t) => {
  const table = new SlotTable(1);
  table.allocate(0, allocation('a-1'), jobA);
  t.is(table.allocate(0, allocation('b-1'), jobB), 'slot 0 is already allocated to job job-a');
  t.is(table.jobOf(allocation('b-1')), undefined);
});

test('a slot index outside the table is refused, saying how many slots there are', (t) => {
  const table = new SlotTable(2);
  t.is(table.allocate(2, allocation('a-1'), jobA), 'slot 2 does not exist (this TaskManager has 2)');
  t.is(table.allocate(-1, allocation('a-1'), jobA), 'slot -1 does not exist (this TaskManager has 2)');
});

test('jobOf knows no allocation that was never made', (t) => {
  t.is(new SlotTable(2).jobOf(allocation('nope')), undefined);
});

test('free frees the allocation’s slot only, and a freed slot can be allocated to another job', (t) => {
  const table = new SlotTable(2);
  table.allocate(0, allocation('a-1'), jobA);
  table.allocate(1, allocation('b-1'), jobB);
  t.true(table.free(allocation('a-1')));
  t.false(table.free(allocation('a-1')));
  t.deepEqual(table.report(), [
    { index: 0, allocationId: null, jobId: null },
    { index: 1, allocationId: allocation('b-1'), jobId: jobB },
  ]);
  t.is(table.jobOf(allocation('a-1')), undefined);
  t.is(table.allocate(0, allocation('c-1'), jobB), undefined);
  t.deepEqual(table.allocationsOf(jobB).map((slot) => slot.allocationId), [allocation('c-1'), allocation('b-1')]);
});

test('a slot being released is still reported held and refused to another allocation until it is freed', (t) => {
  const table = new SlotTable(1);
  table.allocate(0, allocation('a-1'), jobA);
  (table.get(allocation('a-1')) as { releasing: boolean }).releasing = true;
  t.is(table.jobOf(allocation('a-1')), undefined, 'no new task goes into it');
  t.deepEqual(table.report(), [{ index: 0, allocationId: allocation('a-1'), jobId: jobA }]);
  t.is(table.allocate(0, allocation('b-1'), jobB), 'slot 0 is being released by job job-a: its tasks have not stopped yet');
  table.free(allocation('a-1'));
  t.is(table.allocate(0, allocation('b-1'), jobB), undefined);
});

test('report returns a copy: changing it does not change the table', (t) => {
  const table = new SlotTable(1);
  const report = table.report();
  (report[0] as { allocationId: AllocationId | null }).allocationId = allocation('forged');
  t.is(table.report()[0].allocationId, null);
});

test('a new allocation counts no missed heartbeat answers during its grace: its grant may still be on the way', (t) => {
  const table = new SlotTable(1);
  table.allocate(0, allocation('a-1'), jobA, 1_000);
  t.deepEqual(table.missedTwice(jobA, new Set(), 2_000, 5_000), []);
  t.deepEqual(table.missedTwice(jobA, new Set(), 3_000, 5_000), [], 'two answers without it, both within the grace');
  t.deepEqual(table.missedTwice(jobA, new Set(), 6_500, 5_000), [], 'the first miss after the grace');
  t.deepEqual(table.missedTwice(jobA, new Set(), 7_000, 5_000), [allocation('a-1')], 'the second frees it');
});
