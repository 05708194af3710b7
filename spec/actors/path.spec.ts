import test from 'ava';
import { formatAddress, parseActorPath } from '../../actors/index.ts';
import { WeirError } from '../../messages/errors.ts';

test('parseActorPath splits a remote actor path into address, address text and local path', (t) => {
  t.deepEqual(parseActorPath('weir://tm-1@10.0.0.7:6124/user/task/sub_1'), {
    address: { system: 'tm-1', host: '10.0.0.7', port: 6124 },
    addressText: 'weir://tm-1@10.0.0.7:6124',
    localPath: '/user/task/sub_1',
  });
});

test('parseActorPath reads a path of a system that does not listen, and a bare address', (t) => {
  t.deepEqual(parseActorPath('weir://local/user/a'), { address: { system: 'local' }, addressText: 'weir://local', localPath: '/user/a' });
  t.deepEqual(parseActorPath('weir://jm@host.example:1'), {
    address: { system: 'jm', host: 'host.example', port: 1 },
    addressText: 'weir://jm@host.example:1',
    localPath: '',
  });
});

test('an IPv6 host is unbracketed when parsed and bracketed again when formatted', (t) => {
  const parsed = parseActorPath('weir://sys@[::1]:2552/user/a');
  t.deepEqual(parsed.address, { system: 'sys', host: '::1', port: 2552 });
  t.is(formatAddress(parsed.address), 'weir://sys@[::1]:2552');
});

for (const text of ['weir://sys', 'weir://sys/user/a/b', 'weir://s_1-x@127.0.0.1:65535/system/remoting', 'weir://sys@[fe80::1]:80/user/$a/$adapter-0']) {
  test(`${text} survives a parse and format round trip`, (t) => {
    const parsed = parseActorPath(text);
    t.is(formatAddress(parsed.address) + parsed.localPath, text);
    t.deepEqual(parseActorPath(parsed.addressText + parsed.localPath), parsed);
  });
}

test('formatAddress leaves out host and port unless both are given', (t) => {
  t.is(formatAddress({ system: 'a' }), 'weir://a');
  t.is(formatAddress({ system: 'a', host: 'h' }), 'weir://a');
  t.is(formatAddress({ system: 'a', port: 1 }), 'weir://a');
  t.is(formatAddress({ system: 'a', host: 'h', port: 1 }), 'weir://a@h:1');
});

const notPaths: readonly [string, string][] = [
  ['', 'empty text'],
  ['akka://sys/user/a', 'another scheme'],
  ['weir://', 'no system'],
  ['weir://bad name/user/a', 'a space in the system name'],
  ['weir://-sys/user/a', "a system name starting with '-'"],
  ['weir://sys@host/user/a', 'a host without a port'],
  ['weir://sys@host:port/user/a', 'a port that is not a number'],
  ['weir://sys/', 'a trailing slash'],
  ['weir://sys/user//a', 'an empty path segment'],
];

for (const [text, why] of notPaths) {
  test(`parseActorPath rejects ${why} with INVALID_ADDRESS`, (t) => {
    const error = t.throws(() => parseActorPath(text), { instanceOf: WeirError });
    t.is(error.code, 'INVALID_ADDRESS');
    t.is(error.message, `"${text}" is not an actor path like weir://system@host:port/user/name`);
  });
}

for (const port of ['0', '65536', '99999']) {
  test(`parseActorPath rejects port ${port} with INVALID_ADDRESS naming the range`, (t) => {
    const text = `weir://sys@host:${port}/user/a`;
    const error = t.throws(() => parseActorPath(text), { instanceOf: WeirError });
    t.is(error.code, 'INVALID_ADDRESS');
    t.is(error.message, `"${text}" has port ${port}, outside 1..65535`);
  });
}
