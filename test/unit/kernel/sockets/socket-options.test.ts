import { strict as assert } from 'node:assert';
import type { SocketRecord } from '../../../../config/model';
import { parseSocketOptions, SocketConstructionError } from '../../../../kernel';

function rec(name: string, keys: Record<string, string> = {}, typed: Partial<Record<'so_reuseport' | 'replace', boolean>> = {}): SocketRecord {
  return { name, __name__: `socket:${name}`, so_reuseport: false, replace: false, ...typed, ...keys };
}

describe('kernel sockets: [socket:NAME] options (spec 3.1)', () => {
  it('fills the Circus defaults', () => {
    const o = parseSocketOptions(rec('web'));
    assert.deepEqual(
      [o.name, o.host, o.port, o.family, o.type, o.proto, o.backlog, o.path, o.umask, o.replace, o.blocking, o.so_reuseport, o.interface],
      ['web', 'localhost', 8080, 'AF_INET', 'SOCK_STREAM', 0, 2048, null, 8, false, false, false, null],
    );
  });

  it('upper-cases family and type, looks proto up by name, lower-cases the name', () => {
    const o = parseSocketOptions(rec('Web', { family: 'af_inet6', type: 'sock_dgram', proto: 'udp' }));
    assert.deepEqual([o.name, o.family, o.type, o.proto], ['web', 'AF_INET6', 'SOCK_DGRAM', 17]);
    assert.equal(parseSocketOptions(rec('t', { proto: 'tcp' })).proto, 6);
  });

  it('a path forces AF_UNIX whatever the family says', () => {
    assert.equal(parseSocketOptions(rec('u', { path: '/tmp/x.sock', family: 'AF_INET' })).family, 'AF_UNIX');
  });

  it('umask is read as a decimal integer (quirk Q21): 022 is 22, 000 is 0', () => {
    assert.equal(parseSocketOptions(rec('u', { umask: '022' })).umask, 22);
    assert.equal(parseSocketOptions(rec('u', { umask: '000' })).umask, 0);
  });

  it('blocking, replace and so_reuseport are booleans', () => {
    const o = parseSocketOptions(rec('b', { blocking: 'True' }, { replace: true, so_reuseport: true }));
    assert.deepEqual([o.blocking, o.replace, o.so_reuseport], [true, true, true]);
  });

  for (const [keys, fragment] of [
    [{ family: 'AF_FOO' }, "socket 'bad': unknown family 'AF_FOO'"],
    [{ type: 'SOCK_FOO' }, "socket 'bad': unknown type 'SOCK_FOO'"],
    [{ proto: 'foo' }, "socket 'bad': unknown protocol 'foo'"],
    [{ port: '80a' }, "socket 'bad': port: invalid integer '80a'"],
    [{ port: '70000' }, "socket 'bad': port: 70000 is out of range"],
    [{ backlog: 'x' }, "socket 'bad': backlog: invalid integer 'x'"],
    [{ umask: '0o22' }, "socket 'bad': umask: invalid integer '0o22'"],
    [{ blocking: 'maybe' }, "socket 'bad': blocking: invalid boolean 'maybe'"],
  ] as const) {
    it(`rejects ${JSON.stringify(keys)} naming the socket`, () => {
      assert.throws(
        () => parseSocketOptions(rec('bad', keys as Record<string, string>)),
        (err: unknown) => err instanceof SocketConstructionError && err.message.startsWith(fragment) && err.code === 'E_SOCKET_CONSTRUCTION',
      );
    });
  }
});
