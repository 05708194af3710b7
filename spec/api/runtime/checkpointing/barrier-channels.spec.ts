// A subtask's input channels as its barrier handler numbers them: gate after gate.
import test from 'ava';
import { GateChannels } from '../../../../api/runtime/checkpointing/barrier-channels.ts';
import { LocalInputGate } from '../../../../cluster/taskmanager/network/input-gate.ts';

test('channels are numbered over every gate, one gate after the other, and block and resume reach the right gate', (t) => {
  const gates = [new LocalInputGate(2), new LocalInputGate(0), new LocalInputGate(3)];
  const channels = new GateChannels(gates);
  t.is(channels.count, 5);
  t.deepEqual([channels.channelOf(0, 1), channels.channelOf(2, 0), channels.channelOf(2, 2)], [1, 2, 4]);
  channels.block(1);
  channels.block(2);
  const blocked = () => gates.map((gate) => gate.inputChannels.map((channel) => channel.blocked));
  t.deepEqual(blocked(), [[false, true], [], [true, false, false]]);
  channels.resume(2);
  channels.resume(1);
  t.deepEqual(blocked(), [[false, false], [], [false, false, false]]);
});

test('a channel number out of range is a RangeError naming it', (t) => {
  const channels = new GateChannels([new LocalInputGate(2)]);
  t.throws(() => channels.block(2), { instanceOf: RangeError, message: 'input channel 2 does not exist: the subtask has 2' });
});
