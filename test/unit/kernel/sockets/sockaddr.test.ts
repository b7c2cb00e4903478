import { strict as assert } from 'node:assert';
import { formatIpv6, inetSockaddr, ipv6Bytes, parseSockaddr, unixSockaddr } from '../../../../kernel/sockets/sockaddr';

describe('kernel sockets: sockaddr structs built by hand', () => {
  it('sockaddr_in: family in host order, port and address in network order', () => {
    const sa = inetSockaddr('AF_INET', '127.0.0.1', 8080);
    assert.equal(sa.length, 16);
    assert.deepEqual([...sa.subarray(0, 8)], [2, 0, 0x1f, 0x90, 127, 0, 0, 1]);
    assert.deepEqual(parseSockaddr(sa), { family: 'AF_INET', host: '127.0.0.1', port: 8080 });
  });

  it('sockaddr_in6 round-trips and prints the canonical form', () => {
    const sa = inetSockaddr('AF_INET6', '::1', 443);
    assert.equal(sa.length, 28);
    assert.deepEqual(parseSockaddr(sa), { family: 'AF_INET6', host: '::1', port: 443 });
    for (const ip of ['::', '2001:db8::8:800:200c:417a', 'fe80::1', '::ffff:127.0.0.1', '1:2:3:4:5:6:7:8']) {
      assert.equal(formatIpv6(ipv6Bytes(ip)), new URL(`http://[${ip}]/`).hostname.slice(1, -1), ip);
    }
    assert.equal(inetSockaddr('AF_INET6', 'fe80::1%7', 1).readUInt32LE(24), 7);
  });

  it('refuses an address of the wrong family', () => {
    assert.throws(() => inetSockaddr('AF_INET', '::1', 1), /not an IPv4 address/);
    assert.throws(() => inetSockaddr('AF_INET6', '127.0.0.1', 1), /not an IPv6 address/);
  });

  it('sockaddr_un holds the NUL-terminated path; too long a path is refused', () => {
    const sa = unixSockaddr('/tmp/a.sock');
    assert.deepEqual(parseSockaddr(sa), { family: 'AF_UNIX', path: '/tmp/a.sock' });
    assert.throws(() => unixSockaddr(`/tmp/${'x'.repeat(120)}`), /too long/);
  });
});
