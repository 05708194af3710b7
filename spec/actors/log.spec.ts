// Logs that cannot flood: coded warnings and errors of one kind and peer are rate-limited, and the
// next line says how many were dropped; other lines are not limited.
import test from 'ava';
import { LINES_PER_WINDOW, LOG_WINDOW_MS, Logger } from '../../actors/log.ts';

function logger() {
  const lines: Record<string, unknown>[] = [];
  let now = 0;
  const log = new Logger({ level: 'debug', sink: (_line, record) => void lines.push(record), clock: () => now });
  return { log, lines, advance: (ms: number) => (now += ms) };
}

test(`at most ${LINES_PER_WINDOW} coded warnings per kind and peer per window; the next window's first line counts the rest`, (t) => {
  const { log, lines, advance } = logger();
  const peer = log.child({ peer: 'weir://evil@127.0.0.1:1' });
  for (let n = 0; n < 1_000; n++) peer.warn(`bad frame ${n}`, { code: 'MALFORMED_FRAME' });
  t.is(lines.length, LINES_PER_WINDOW);
  advance(LOG_WINDOW_MS);
  peer.warn('bad frame again', { code: 'MALFORMED_FRAME' });
  t.is(lines.length, LINES_PER_WINDOW + 1);
  t.is(lines.at(-1)?.suppressed, 1_000 - LINES_PER_WINDOW);
});

test('another peer, another code and uncoded lines have limits of their own, or none', (t) => {
  const { log, lines } = logger();
  for (let n = 0; n < 100; n++) {
    log.child({ peer: 'a' }).error('x', { code: 'MALFORMED_FRAME' });
    log.child({ peer: 'b' }).error('x', { code: 'MALFORMED_FRAME' });
    log.error('x', { code: 'HANDSHAKE_FAILED', peer: 'a' });
    log.info('progress');
  }
  t.is(lines.filter((line) => line.peer === 'a' && line.code === 'MALFORMED_FRAME').length, LINES_PER_WINDOW);
  t.is(lines.filter((line) => line.peer === 'b').length, LINES_PER_WINDOW);
  t.is(lines.filter((line) => line.code === 'HANDSHAKE_FAILED').length, LINES_PER_WINDOW);
  t.is(lines.filter((line) => line.msg === 'progress').length, 100);
});
