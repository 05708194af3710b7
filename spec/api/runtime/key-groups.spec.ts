import test from 'ava';
import { hashKey, hashNumber, hashString, keyGroupOf, keyGroupRangeFor, operatorIndexForKeyGroup } from '../../../api/runtime/key-groups.ts';

/** MurmurHash3 x86_32 over bytes, written from the reference C code: the independent check. */
function murmur3Bytes(bytes: Uint8Array, seed = 0): number {
  const c1 = 0xcc9e2d51;
  const c2 = 0x1b873593;
  let h = seed | 0;
  const blocks = bytes.length >> 2;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let block = 0; block < blocks; block++) {
    let k = view.getUint32(block * 4, true);
    k = Math.imul(k, c1);
    k = (k << 15) | (k >>> 17);
    k = Math.imul(k, c2);
    h ^= k;
    h = (h << 13) | (h >>> 19);
    h = (Math.imul(h, 5) + 0xe6546b64) | 0;
  }
  let tail = 0;
  const rest = bytes.length & 3;
  if (rest >= 3) tail ^= bytes[blocks * 4 + 2] << 16;
  if (rest >= 2) tail ^= bytes[blocks * 4 + 1] << 8;
  if (rest >= 1) {
    tail ^= bytes[blocks * 4];
    tail = Math.imul(tail, c1);
    tail = (tail << 15) | (tail >>> 17);
    h ^= Math.imul(tail, c2);
  }
  h ^= bytes.length;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return h ^ (h >>> 16);
}

const utf16 = (text: string): Uint8Array => new Uint8Array(Buffer.from(text, 'utf16le'));
const littleEndian = (write: (view: DataView) => void, length: number): Uint8Array => {
  const bytes = new Uint8Array(length);
  write(new DataView(bytes.buffer));
  return bytes;
};

test('the reference MurmurHash3 gives the published test vectors', (t) => {
  t.is(murmur3Bytes(new Uint8Array(0)) >>> 0, 0);
  t.is(murmur3Bytes(new TextEncoder().encode('hello')) >>> 0, 0x248bfa47);
  t.is(murmur3Bytes(new TextEncoder().encode('The quick brown fox jumps over the lazy dog')) >>> 0, 0x2e4ff723);
});

test('a string key hashes as MurmurHash3 of its UTF-16LE bytes, odd lengths and surrogate pairs included', (t) => {
  for (const text of ['', 'a', 'ab', 'abc', 'hello', 'Flink', 'é日本', '😀 emoji', 'x'.repeat(1001)]) {
    t.is(hashString(text), murmur3Bytes(utf16(text)), JSON.stringify(text));
  }
});

test('a number key hashes its 32-bit integer, or else its IEEE 754 bits, little-endian on every CPU', (t) => {
  for (const value of [0, 1, -1, 42, 2 ** 31 - 1, -(2 ** 31)]) {
    t.is(hashNumber(value), murmur3Bytes(littleEndian((view) => view.setInt32(0, value, true), 4)), String(value));
  }
  for (const value of [2 ** 31, 3.5, -0.25, 1e300, Number.MAX_SAFE_INTEGER, Infinity]) {
    t.is(hashNumber(value), murmur3Bytes(littleEndian((view) => view.setFloat64(0, value, true), 8)), String(value));
  }
  t.is(hashNumber(-0), hashNumber(0), '-0 and 0 are one Map key, so one hash');
  t.is(hashNumber(NaN), hashNumber(Number('not a number')));
});

// These values are the contract: a change moves keys between subtasks and breaks restored state.
test('key hashes and key groups are fixed values, the same on every process and run', (t) => {
  const expected: [unknown, number, number, number][] = [
    ['', 0, 0, 0],
    ['a', 1867108634, 26, 20762],
    ['hello', -675079799, 9, 6537],
    ['weir', 1889192803, 99, 19299],
    ['Flink', -1922847936, 64, 11072],
    ['é日本', 151518724, 4, 32260],
    [0, 593689054, 94, 31198],
    [1, -68075478, 42, 16426],
    [-1, 1982413648, 80, 15184],
    [42, -1134849565, 99, 4579],
    [2147483648, -1752133708, 52, 4020],
    [3.5, 1347587445, 117, 3445],
    [NaN, -1585394089, 87, 20055],
    [true, -68075478, 42, 16426],
    [false, 593689054, 94, 31198],
    [12345678901234567890n, 135681785, 121, 22265],
  ];
  for (const [key, hash, group128, group32768] of expected) {
    t.deepEqual([hashKey(key), keyGroupOf(key, 128), keyGroupOf(key, 32768)], [hash, group128, group32768], String(key));
  }
});

test('a value that is not a key has no hash and key group -1', (t) => {
  for (const value of [undefined, null, {}, ['a'], () => 1, Symbol('s')]) {
    t.is(hashKey(value), undefined);
    t.is(keyGroupOf(value, 128), -1);
  }
});

test('key group ranges are contiguous, cover every group once, and agree with the operator index of each group', (t) => {
  for (const maxParallelism of [1, 7, 128, 32768]) {
    for (const parallelism of [1, 2, 3, 5, 7].filter((p) => p <= maxParallelism)) {
      let next = 0;
      for (let index = 0; index < parallelism; index++) {
        const range = keyGroupRangeFor(index, maxParallelism, parallelism);
        t.is(range.start, next, `max ${maxParallelism}, parallelism ${parallelism}, subtask ${index}`);
        for (const group of [range.start, range.end]) t.is(operatorIndexForKeyGroup(group, maxParallelism, parallelism), index);
        next = range.end + 1;
      }
      t.is(next, maxParallelism);
    }
  }
  t.deepEqual(
    [0, 1, 2].map((index) => keyGroupRangeFor(index, 128, 3)),
    [
      { start: 0, end: 42 },
      { start: 43, end: 85 },
      { start: 86, end: 127 },
    ],
  );
});
