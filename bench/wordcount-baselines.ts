// The baselines bench/wordcount.ts compares Weir against, on the same lines (bench/jobs/text.ts):
// in this process a plain loop, RxJS and Node streams; across two processes a plain ws + msgpackr
// word count (bench/wordcount-peer.ts splits and packs, this process unpacks and counts) and ws round
// trips between the same two processes.
import { join } from 'node:path';
import { Readable, Transform, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Packr } from 'msgpackr';
import { filter, lastValueFrom, map, mergeMap, range, reduce } from 'rxjs';
import { WebSocket } from 'ws';
import { WORD_SEPARATOR, lineOf, wordTotal } from './jobs/text.ts';
import { ROOT, pin, startNode, withTimeout } from './wordcount-processes.ts';

const RUN_TIMEOUT_MS = 120_000;

export interface WsBaselineSizes {
  readonly repeats: number;
  /** Lines per word-count run (the first run, a warm-up, takes a fifth). */
  readonly lines: number;
  readonly roundTrips: number;
}

/** The plain loop: split each line, count each word in a Map. */
export function countLoop(lines: number): number {
  const counts = new Map<string, number>();
  for (let index = 0; index < lines; index++) {
    const words = lineOf(index).toLowerCase().split(WORD_SEPARATOR);
    for (let at = 0; at < words.length; at++) {
      const word = words[at];
      if (word !== '') counts.set(word, (counts.get(word) ?? 0) + 1);
    }
  }
  return total(counts);
}

export function total(counts: Map<string, number>): number {
  let sum = 0;
  for (const count of counts.values()) sum += count;
  return sum;
}

/** RxJS: lines -> mergeMap(split) -> filter -> reduce into a Map. */
export async function countRx(lines: number): Promise<number> {
  const counts = await lastValueFrom(
    range(0, lines).pipe(
      map(lineOf),
      mergeMap((line) => line.toLowerCase().split(WORD_SEPARATOR)),
      filter((word) => word !== ''),
      reduce((counts, word) => counts.set(word, (counts.get(word) ?? 0) + 1), new Map<string, number>()),
    ),
  );
  return total(counts);
}

/** Node streams: a Readable of lines -> a Transform pushing one chunk per word -> a counting Writable. */
export async function countStreams(lines: number): Promise<number> {
  let next = 0;
  const source = new Readable({
    objectMode: true,
    read() {
      while (next < lines) if (!this.push(lineOf(next++))) return;
      this.push(null);
    },
  });
  const split = new Transform({
    objectMode: true,
    transform(line: string, _encoding, done) {
      const words = line.toLowerCase().split(WORD_SEPARATOR);
      for (let at = 0; at < words.length; at++) if (words[at] !== '') this.push(words[at]);
      done();
    },
  });
  const counts = new Map<string, number>();
  const sink = new Writable({
    objectMode: true,
    write(word: string, _encoding, done) {
      counts.set(word, (counts.get(word) ?? 0) + 1);
      done();
    },
  });
  await pipeline(source, split, sink);
  return total(counts);
}

export interface WsBaselines {
  /** words/s of the plain two-process word count, per run. */
  readonly wordCount: number[];
  /** Round trips of a small ws frame between the two processes, µs, sorted. */
  readonly roundTripsUs: Float64Array;
}

/**
 * The plain two-process word count (the peer splits and packs, this process unpacks and counts),
 * and ws round trips between the same two processes: what the cluster's figures compare against.
 */
export async function wsBaselines(wordCount: boolean, roundTrips: boolean, sizes: WsBaselineSizes): Promise<WsBaselines> {
  const { child, ready } = await startNode(join(ROOT, 'bench/wordcount-peer.ts'), process.env);
  pin(child.pid, 1);
  pin(process.pid, 0);
  const socket = new WebSocket(`ws://127.0.0.1:${String(ready.port)}`, { perMessageDeflate: false, generateMask: (mask: Buffer) => void mask.fill(0) });
  socket.binaryType = 'nodebuffer';
  await withTimeout(new Promise((resolve) => socket.once('open', resolve)), 'the baseline peer connection', RUN_TIMEOUT_MS);
  const unpackr = new Packr({ useRecords: true, mapsAsObjects: true, moreTypes: false });
  const count = (lines: number): Promise<number> => {
    const start = performance.now();
    const counts = new Map<string, number>();
    return new Promise((resolve, reject) => {
      const onMessage = (data: Buffer, isBinary: boolean): void => {
        if (isBinary) {
          const pairs = unpackr.unpack(data) as [string, number][];
          for (let at = 0; at < pairs.length; at++) {
            const word = pairs[at][0];
            counts.set(word, (counts.get(word) ?? 0) + pairs[at][1]);
          }
          return;
        }
        socket.off('message', onMessage);
        const counted = total(counts);
        if (counted !== wordTotal(lines)) reject(new Error(`the ws baseline counted ${counted} words, not ${wordTotal(lines)}`));
        else resolve(counted / ((performance.now() - start) / 1000));
      };
      socket.on('message', onMessage);
      child.stdin?.write(JSON.stringify({ lines }) + '\n');
    });
  };
  const ping = (samples: Float64Array): Promise<void> =>
    new Promise((resolve) => {
      let at = 0;
      let sentAt = performance.now();
      const onMessage = (): void => {
        samples[at++] = (performance.now() - sentAt) * 1000;
        if (at === samples.length) {
          socket.off('message', onMessage);
          return resolve();
        }
        sentAt = performance.now();
        socket.send('ping');
      };
      socket.on('message', onMessage);
      socket.send('ping');
    });
  const figures: number[] = [];
  if (wordCount) {
    for (let round = 0; round <= sizes.repeats; round++) {
      const figure = await withTimeout(count(round === 0 ? Math.round(sizes.lines / 5) : sizes.lines), 'a ws baseline run', RUN_TIMEOUT_MS);
      if (round > 0) figures.push(figure);
    }
  }
  const roundTripsUs = new Float64Array(roundTrips ? sizes.roundTrips : 0);
  if (roundTrips) {
    await withTimeout(ping(new Float64Array(Math.ceil(sizes.roundTrips / 10))), 'the ws round trip warm-up', RUN_TIMEOUT_MS);
    await withTimeout(ping(roundTripsUs), 'the ws round trips', RUN_TIMEOUT_MS);
  }
  socket.terminate();
  child.stdin?.end();
  return { wordCount: figures, roundTripsUs: roundTripsUs.sort() };
}
