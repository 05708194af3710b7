// A subpartition batches records, hands batches to its reader only against credit, keeps the rest
// in a backlog, and says it is blocked while the backlog is full (credit-based flow control).
import test from 'ava';
import { MAX_BACKLOG_BATCHES, Subpartition } from '../../../../cluster/taskmanager/network/subpartition.ts';
import { RecordingReader } from './helpers.ts';

function subpartition(batchRecords = 2, eager = false) {
  const changes: boolean[] = [];
  const sub = new Subpartition(batchRecords, (blocked) => changes.push(blocked), eager);
  return { sub, changes };
}

test('records are handed over in batches: a full batch at once, a partial one on flush', (t) => {
  const { sub } = subpartition(3);
  const reader = new RecordingReader();
  sub.attach(reader, 10);
  sub.add(1, undefined);
  sub.add(2, undefined);
  t.deepEqual(reader.batches, []);
  sub.add(3, undefined);
  t.deepEqual(reader.batches, [[1, 2, 3]]);
  sub.add(4, undefined);
  sub.flush();
  sub.flush(); // nothing open: no empty batch
  t.deepEqual(reader.batches, [[1, 2, 3], [4]]);
});

test('a reader gets at most its credit in batches; the rest waits in the backlog until more credit', (t) => {
  const { sub } = subpartition(1);
  const reader = new RecordingReader();
  sub.attach(reader, 2);
  for (let n = 0; n < 5; n++) sub.add(n, undefined);
  t.deepEqual(reader.batches, [[0], [1]]);
  sub.addCredit(1);
  t.deepEqual(reader.batches, [[0], [1], [2]]);
  sub.addCredit(5);
  t.deepEqual(reader.batches, [[0], [1], [2], [3], [4]]);
  sub.add(5, undefined); // credit left over from before
  t.deepEqual(reader.batches.at(-1), [5]);
});

test(`blocked turns true when ${MAX_BACKLOG_BATCHES} batches wait, and false once credit takes one`, (t) => {
  const { sub, changes } = subpartition(1);
  const reader = new RecordingReader();
  sub.attach(reader, 0);
  for (let n = 0; n < MAX_BACKLOG_BATCHES - 1; n++) sub.add(n, undefined);
  t.false(sub.blocked);
  sub.add('last', undefined);
  t.true(sub.blocked);
  t.deepEqual(changes, [true]);
  sub.add('over', undefined); // the producer may overshoot within its step: no second notice
  t.deepEqual(changes, [true]);
  sub.addCredit(2);
  t.false(sub.blocked);
  t.deepEqual(changes, [true, false]);
});

test('without a reader the backlog builds up and blocks; attaching delivers it in order, then the end', (t) => {
  const { sub, changes } = subpartition(1);
  for (let n = 0; n < MAX_BACKLOG_BATCHES; n++) sub.add(n, undefined);
  sub.finish();
  t.true(sub.blocked);
  t.false(sub.isDrained);
  const reader = new RecordingReader();
  sub.attach(reader, MAX_BACKLOG_BATCHES);
  t.deepEqual(reader.batches, [[0], [1], [2], [3]]);
  t.true(reader.ended);
  t.true(sub.isDrained);
  t.deepEqual(changes, [true, false]);
});

test('finish flushes the open batch, and the end follows the last batch once credit lets it out', (t) => {
  const { sub } = subpartition(10);
  const reader = new RecordingReader();
  sub.attach(reader, 0);
  sub.add('a', undefined);
  sub.finish();
  t.false(reader.ended, 'the end does not overtake a batch waiting for credit');
  sub.addCredit(1);
  t.deepEqual(reader.batches, [['a']]);
  t.true(reader.ended);
  sub.finish();
  sub.addCredit(1);
  t.deepEqual(reader.batches, [['a']]);
});

test('release drops the backlog, tells the reader why, stops delivering and unblocks the producer', (t) => {
  const { sub, changes } = subpartition(1);
  const reader = new RecordingReader();
  sub.attach(reader, 0);
  for (let n = 0; n < MAX_BACKLOG_BATCHES; n++) sub.add(n, undefined);
  const why = new Error('released');
  sub.release(why);
  t.is(reader.failure, why);
  t.false(sub.blocked);
  t.deepEqual(changes, [true, false]);
  sub.addCredit(10);
  t.deepEqual(reader.batches, []);
});

test('release after the end was delivered tells the reader nothing more', (t) => {
  const { sub } = subpartition(1);
  const reader = new RecordingReader();
  sub.attach(reader, 1);
  sub.add('a', undefined);
  sub.finish();
  t.true(reader.ended);
  sub.release(new Error('released'));
  t.is(reader.failure, undefined);
});

for (const eager of [false, true]) {
  test(`${eager ? 'eager: ' : ''}blocked notices alternate and match \`blocked\` under any mix of adds, flushes and credits; every record arrives once, in order`, (t) => {
    let seed = 42;
    const random = (): number => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    for (let round = 0; round < 200; round++) {
      const { sub, changes } = subpartition(1 + Math.floor(random() * 3), eager);
      const reader = new RecordingReader();
      let attached = false;
      let added = 0;
      for (let op = 0; op < 100; op++) {
        const choice = random();
        if (choice < 0.6) sub.add(added++, undefined);
        else if (choice < 0.7) sub.flush();
        else if (!attached) {
          sub.attach(reader, Math.floor(random() * 3));
          attached = true;
        } else sub.addCredit(1 + Math.floor(random() * 2));
        const expected = changes.length % 2 === 1;
        if (sub.blocked !== expected) return t.fail(`round ${round}, op ${op}: blocked is ${sub.blocked} after notices ${JSON.stringify(changes)}`);
      }
      if (changes.some((blocked, index) => blocked !== (index % 2 === 0))) return t.fail(`round ${round}: notices do not alternate: ${JSON.stringify(changes)}`);
      if (!attached) sub.attach(reader, 0);
      sub.finish();
      sub.addCredit(1000);
      if (!reader.ended) return t.fail(`round ${round}: no end after finish and credit`);
      t.deepEqual(reader.batches.flat(), Array.from({ length: added }, (_, n) => n), `round ${round}`);
      if (reader.batches.some((batch) => batch.length === 0)) return t.fail(`round ${round}: an empty batch was sent`);
    }
  });
}

test('eager (buffer timeout 0): a flush sends the open batch at once when there is credit', (t) => {
  const { sub } = subpartition(100, true);
  const reader = new RecordingReader();
  sub.attach(reader, 2);
  sub.add(1, undefined);
  sub.add(2, undefined);
  t.deepEqual(reader.batches, []);
  sub.flush();
  t.deepEqual(reader.batches, [[1, 2]]);
});

test('eager: without credit a flush leaves the records in the open batch, and the next credit takes them all', (t) => {
  const { sub, changes } = subpartition(100, true);
  const reader = new RecordingReader();
  sub.attach(reader, 0);
  for (let n = 0; n < 10; n++) {
    sub.add(n, undefined);
    sub.flush();
  }
  t.deepEqual(reader.batches, []);
  t.false(sub.blocked, 'flushed records waiting for credit fill one batch, not the backlog');
  sub.addCredit(1);
  t.deepEqual(reader.batches, [[0, 1, 2, 3, 4, 5, 6, 7, 8, 9]]);
  t.deepEqual(changes, []);
});

test('eager: a full batch is sealed into the backlog as usual, so a channel without credit still blocks', (t) => {
  const { sub } = subpartition(2, true);
  const reader = new RecordingReader();
  sub.attach(reader, 0);
  for (let n = 0; n < MAX_BACKLOG_BATCHES * 2; n++) sub.add(n, undefined);
  t.true(sub.blocked);
  sub.add('open', undefined);
  sub.finish();
  sub.addCredit(100);
  t.deepEqual(reader.batches, [[0, 1], [2, 3], [4, 5], [6, 7], ['open']]);
  t.true(reader.ended, 'the end follows the open batch, never overtakes it');
});

test('a batch carries its records\' timestamps (null when none has one) and its events at their positions', (t) => {
  const { sub } = subpartition(4);
  const reader = new RecordingReader();
  sub.attach(reader, 10);
  sub.add('a', undefined);
  sub.add('b', undefined);
  sub.flush();
  sub.addEvent(5);
  sub.add('c', undefined);
  sub.add('d', 20);
  sub.addEvent('idle');
  sub.add('e', 30);
  sub.addEvent(25);
  sub.flush();
  t.deepEqual(
    reader.delivered.map(({ records, timestamps, events }) => ({ records: [...records], timestamps, events })),
    [
      { records: ['a', 'b'], timestamps: null, events: null },
      { records: ['c', 'd', 'e'], timestamps: [undefined, 20, 30], events: [0, 5, 2, 'idle', 3, 25] },
    ],
  );
});

test('watermarks at one position keep only the last; a status between them keeps both', (t) => {
  const { sub } = subpartition(4);
  const reader = new RecordingReader();
  sub.attach(reader, 10);
  sub.add('a', 1);
  sub.addEvent(1);
  sub.addEvent(2);
  sub.addEvent('active');
  sub.addEvent(3);
  sub.addEvent(4);
  sub.flush();
  t.deepEqual(reader.delivered[0].events, [1, 2, 1, 'active', 1, 4]);
});

test('a flush sends a batch holding only events; finish sends the events before the end', (t) => {
  const { sub } = subpartition(4);
  const reader = new RecordingReader();
  sub.attach(reader, 10);
  sub.addEvent(7);
  sub.flush();
  sub.addEvent(8);
  sub.finish();
  t.deepEqual(
    reader.delivered.map(({ records, events }) => ({ records: [...records], events })),
    [
      { records: [], events: [0, 7] },
      { records: [], events: [0, 8] },
    ],
  );
  t.true(reader.ended);
});

const BARRIER = { kind: 'barrier', checkpointId: 3, timestamp: 1_700_000_000_000, mode: 'EXACTLY_ONCE', savepoint: false } as const;

test('a checkpoint barrier seals the open batch: it is the last element of its batch, and later records start the next', (t) => {
  const { sub } = subpartition(4);
  const reader = new RecordingReader();
  sub.attach(reader, 10);
  sub.add('a', undefined);
  sub.addEvent(5);
  sub.addEvent(BARRIER);
  sub.add('b', undefined);
  sub.addEvent(6);
  sub.flush();
  t.deepEqual(
    reader.delivered.map(({ records, events }) => ({ records: [...records], events })),
    [
      { records: ['a'], events: [1, 5, 1, BARRIER] },
      { records: ['b'], events: [1, 6] },
    ],
    'the watermark before the barrier is kept, not collapsed with it, and the one after goes into the next batch',
  );
});

test('a barrier on an empty open batch is a batch of its own', (t) => {
  const { sub } = subpartition(4);
  const reader = new RecordingReader();
  sub.attach(reader, 10);
  sub.addEvent(BARRIER);
  t.deepEqual(reader.delivered.map(({ records, events }) => ({ records: [...records], events })), [{ records: [], events: [0, BARRIER] }]);
});

for (const eager of [false, true]) {
  test(`${eager ? 'eager: ' : ''}the barrier's batch waits for credit like any other, behind the batches before it`, (t) => {
    const { sub, changes } = subpartition(2, eager);
    const reader = new RecordingReader();
    sub.attach(reader, 0);
    sub.add(1, undefined);
    sub.add(2, undefined);
    sub.add(3, undefined);
    sub.addEvent(BARRIER);
    sub.add(4, undefined);
    sub.flush();
    t.deepEqual(reader.batches, [], 'no credit: nothing leaves');
    sub.addCredit(1);
    t.deepEqual(reader.batches, [[1, 2]]);
    sub.addCredit(1);
    t.deepEqual(reader.batches, [[1, 2], [3]]);
    t.deepEqual(reader.delivered[1].events, [1, BARRIER]);
    sub.addCredit(1);
    t.deepEqual(reader.batches, [[1, 2], [3], [4]]);
    t.deepEqual(changes, []);
  });
}

const unaligned = (checkpointId: number) => ({ kind: 'barrier', checkpointId, timestamp: 1_700_000_000_000, mode: 'EXACTLY_ONCE', savepoint: false, unaligned: true }) as const;

test('an unaligned barrier goes to the reader at once, ahead of the backlog and without credit; the batches it overtook (the open one sealed) are returned and still follow it', (t) => {
  const { sub } = subpartition(2);
  const reader = new RecordingReader();
  sub.attach(reader, 1);
  for (const n of [1, 2, 3, 4, 5]) sub.add(n, undefined);
  t.deepEqual(reader.log, ['batch 1,2']);
  const overtaken = sub.addPriorityEvent(unaligned(7));
  t.deepEqual(
    overtaken.map((batch) => batch.records),
    [[3, 4], [5]],
  );
  t.deepEqual(reader.log, ['batch 1,2', 'priority 7'], 'it took no credit: none was left');
  sub.add(6, undefined);
  sub.add(7, undefined);
  sub.addCredit(3);
  t.deepEqual(reader.log, ['batch 1,2', 'priority 7', 'batch 3,4', 'batch 5', 'batch 6,7'], 'the overtaken batches follow in order, each on its own credit');
});

test('with nothing queued an unaligned barrier overtakes nothing', (t) => {
  const { sub } = subpartition(2);
  const reader = new RecordingReader();
  sub.attach(reader, 4);
  sub.add(1, undefined);
  sub.add(2, undefined);
  t.deepEqual(sub.addPriorityEvent(unaligned(1)), []);
  t.deepEqual(reader.log, ['batch 1,2', 'priority 1']);
});

test('an unaligned barrier added before a reader attached is the first thing the reader gets', (t) => {
  const { sub } = subpartition(1);
  sub.add('a', undefined);
  t.deepEqual(
    sub.addPriorityEvent(unaligned(2)).map((batch) => batch.records),
    [['a']],
  );
  const reader = new RecordingReader();
  sub.attach(reader, 1);
  t.deepEqual(reader.log, ['priority 2', 'batch a']);
});

test('after its end a subpartition takes no priority event; a released one forgets those not yet read', (t) => {
  const { sub } = subpartition(1);
  const reader = new RecordingReader();
  sub.attach(reader, 1);
  sub.finish();
  t.deepEqual(sub.addPriorityEvent(unaligned(1)), []);
  t.false(reader.log.includes('priority 1'));
  const { sub: released } = subpartition(1);
  released.addPriorityEvent(unaligned(1));
  released.release(new Error('gone'));
  const late = new RecordingReader();
  released.attach(late, 1);
  t.deepEqual(late.log, []);
});

test('a restore puts the in-flight batches out first, counts their records, and blocks the producer while they wait', (t) => {
  const { sub, changes } = subpartition(2);
  sub.restoreInFlight(Array.from({ length: MAX_BACKLOG_BATCHES }, (_, index) => ({ records: [`r${index}`], timestamps: null, events: null })));
  t.true(sub.blocked);
  t.deepEqual(changes, [true]);
  t.is(sub.recordsWritten, MAX_BACKLOG_BATCHES);
  sub.add('new', undefined);
  sub.flush();
  const reader = new RecordingReader();
  sub.attach(reader, 10);
  t.deepEqual(reader.log, [...Array.from({ length: MAX_BACKLOG_BATCHES }, (_, index) => `batch r${index}`), 'batch new']);
});

test('a restore into a subpartition whose reader has credit reports a change of blocked only when there is one', (t) => {
  const { sub, changes } = subpartition(2);
  const reader = new RecordingReader();
  sub.attach(reader, MAX_BACKLOG_BATCHES);
  sub.restoreInFlight(Array.from({ length: MAX_BACKLOG_BATCHES + 1 }, (_, index) => ({ records: [`r${index}`], timestamps: null, events: null })));
  t.is(reader.log.length, MAX_BACKLOG_BATCHES, 'the credit took as many');
  t.false(sub.blocked);
  t.deepEqual(changes, [], 'never blocked, so never unblocked (a stray unblocking would leave the partition unavailable for good)');
});
