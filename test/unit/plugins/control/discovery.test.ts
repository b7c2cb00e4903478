import { strict as assert } from 'node:assert';
import { parseMulticastEndpoint } from '../../../../plugins/control/discovery';
import { ipcPath } from '../../../../plugins/control/endpoint-file';

describe('plugins/control: multicast endpoint check and ipc paths', () => {
  it('accepts a multicast IPv4 group (first octet 224..239) with a port', () => {
    assert.deepEqual(parseMulticastEndpoint('udp://237.219.251.97:12027'), { group: '237.219.251.97', port: 12027 });
    assert.deepEqual(parseMulticastEndpoint('udp://224.0.0.1:1'), { group: '224.0.0.1', port: 1 });
    assert.deepEqual(parseMulticastEndpoint('udp://239.255.255.255:65535'), { group: '239.255.255.255', port: 65535 });
  });

  it('refuses anything else with a reason naming the value', () => {
    const cases: [string, RegExp][] = [
      ['udp://127.0.0.1:12027', /'127.0.0.1' is not a multicast address/],
      ['udp://223.255.255.255:1', /not a multicast address/],
      ['udp://240.0.0.1:1', /not a multicast address/],
      ['udp://host.example:1', /'host.example' is not an IPv4 address/],
      ['udp://237.219.251.97', /not of the form udp:\/\/HOST:PORT/],
      ['udp://237.219.251.97:port', /'port' is not a valid port/],
      ['udp://237.219.251.97:70000', /'70000' is not a valid port/],
      ['237.219.251.97:12027', /not of the form/],
    ];
    for (const [url, reason] of cases) {
      const r = parseMulticastEndpoint(url);
      assert.ok('error' in r, url);
      assert.match(r.error, reason, url);
    }
  });

  it('finds the socket file of an ipc endpoint only', () => {
    assert.equal(ipcPath('ipc:///run/c.sock'), '/run/c.sock');
    assert.equal(ipcPath('ipc://run/c.sock'), 'run/c.sock');
    assert.equal(ipcPath('ipc://@abstract'), null);
    assert.equal(ipcPath('tcp://127.0.0.1:5555'), null);
  });
});
