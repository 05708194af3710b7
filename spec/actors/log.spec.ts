import test from 'ava';
import { Logger } from '../../actors/index.ts';
import { WeirError } from '../../messages/errors.ts';

function capture(): { logger: Logger; lines: string[] } {
  const lines: string[] = [];
  return { logger: new Logger({ level: 'debug', sink: (line) => lines.push(line) }, { system: 'test' }), lines };
}

test('a record is one JSON line with level, message, the base fields and an error’s name, message, code and cause', (t) => {
  const { logger, lines } = capture();
  logger.child({ path: 'weir://test/user/a' }).warn('it broke', { error: new WeirError('MAILBOX_FULL', 'full', { cause: new RangeError('deep') }) });
  t.is(lines.length, 1);
  t.like(JSON.parse(lines[0]), {
    level: 'warn',
    msg: 'it broke',
    system: 'test',
    path: 'weir://test/user/a',
    error: { name: 'WeirError', message: 'full', code: 'MAILBOX_FULL', cause: { name: 'RangeError', message: 'deep' } },
  });
});

test('a field that is circular or holds a BigInt is still written as one JSON line', (t) => {
  const { logger, lines } = capture();
  const circular: { name: string; self?: unknown } = { name: 'loop' };
  circular.self = circular;
  t.notThrows(() => logger.error('odd values', { circular, big: 10n }));
  t.deepEqual(JSON.parse(lines[0]).circular, { name: 'loop', self: '[Circular]' });
  t.is(JSON.parse(lines[0]).big, '10');
});

test('an error whose cause chain loops is logged to a bounded depth', (t) => {
  const { logger, lines } = capture();
  const looping = new Error('looping');
  looping.cause = looping;
  t.notThrows(() => logger.error('cause loop', { error: looping }));
  let depth = 0;
  for (let error = JSON.parse(lines[0]).error; error.cause; error = error.cause) depth++;
  t.is(depth, 8);
});

test('records below the level are not written', (t) => {
  const lines: string[] = [];
  const logger = new Logger({ level: 'warn', sink: (line) => lines.push(line) });
  logger.info('quiet');
  logger.debug('quieter');
  logger.error('loud');
  t.deepEqual(lines.map((line) => JSON.parse(line).msg), ['loud']);
  t.false(logger.isEnabled('info'));
});
