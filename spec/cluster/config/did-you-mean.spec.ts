// A mistyped key, command or flag gets the closest known name, if it is close enough to be a typo.
import test from 'ava';
import { closestMatch, didYouMean, editDistance } from '../../../cluster/config/did-you-mean.ts';

test('the edit distance counts insertions, deletions, substitutions and swaps of neighbours as one edit each', (t) => {
  t.is(editDistance('port', 'port'), 0);
  t.is(editDistance('prot', 'port'), 1);
  t.is(editDistance('paralelism', 'parallelism'), 1);
  t.is(editDistance('lst', 'list'), 1);
  t.is(editDistance('cancle', 'cancel'), 1);
  t.is(editDistance('kitten', 'sitting'), 3);
  t.is(editDistance('', 'abc'), 3);
});

test('the closest candidate within two edits (more for long words) is suggested; a case-only difference wins', (t) => {
  t.is(closestMatch('lst', ['run', 'list', 'info']), 'list');
  t.is(closestMatch('jobmanager.rpc.prot', ['jobmanager.rpc.port', 'jobmanager.rpc.address']), 'jobmanager.rpc.port');
  t.is(closestMatch('taskmanager.numberoftaskslots', ['taskmanager.numberOfTaskSlots', 'taskmanager.numberOfTaskSlotz']), 'taskmanager.numberOfTaskSlots');
  t.is(closestMatch('deploy', ['run', 'list', 'info', 'cancel']), undefined);
  t.is(closestMatch('jobmanager.port', ['jobmanager.rpc.port']), undefined);
  t.is(closestMatch('x', ['y']), undefined, 'no one-character guesses');
});

test('didYouMean phrases the suggestion, or gives nothing', (t) => {
  t.is(didYouMean('lst', ['list']), ' (did you mean "list"?)');
  t.is(didYouMean('--paralelism', ['--parallelism'], ''), ' (did you mean --parallelism?)');
  t.is(didYouMean('deploy', ['list']), '');
});
