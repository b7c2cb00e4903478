import { strict as assert } from 'node:assert';
import {
  channelsChanged,
  connectableEndpoint,
  endpointHost,
  readGlobalOptions,
  retryDelayMs,
} from '../../../../../plugins/httpd/bridge/endpoints';

const OPTIONS = {
  endpoint: 'tcp://10.1.2.3:5555',
  stats_endpoint: 'tcp://0.0.0.0:5557',
  pubsub_endpoint: 'tcp://*:5556',
  check_delay: 2.0,
  multicast_endpoint: 'udp://237.219.251.97:12027',
};

describe('plugins/httpd/bridge: endpoints from globaloptions', () => {
  it('reads the host of a tcp endpoint, brackets kept, and none for ipc', () => {
    assert.equal(endpointHost('tcp://10.0.0.5:5555'), '10.0.0.5');
    assert.equal(endpointHost('tcp://[::1]:5555'), '[::1]');
    assert.equal(endpointHost('tcp://localhost:5555'), 'localhost');
    assert.equal(endpointHost('ipc:///tmp/c.sock'), null);
  });

  it('replaces a wildcard host (0.0.0.0, *, empty, [::]) with the control endpoint host', () => {
    const control = 'tcp://10.1.2.3:5555';
    assert.equal(connectableEndpoint('tcp://0.0.0.0:5556', control), 'tcp://10.1.2.3:5556');
    assert.equal(connectableEndpoint('tcp://*:5556', control), 'tcp://10.1.2.3:5556');
    assert.equal(connectableEndpoint('tcp://:5556', control), 'tcp://10.1.2.3:5556');
    assert.equal(connectableEndpoint('tcp://[::]:5556', control), 'tcp://10.1.2.3:5556');
    assert.equal(connectableEndpoint('tcp://0.0.0.0:5556', 'tcp://[::1]:5555'), 'tcp://[::1]:5556');
  });

  it('keeps a concrete host, a non-tcp endpoint, and uses 127.0.0.1 when the control host tells nothing', () => {
    assert.equal(connectableEndpoint('tcp://127.0.0.1:5556', 'tcp://10.1.2.3:5555'), 'tcp://127.0.0.1:5556');
    assert.equal(connectableEndpoint('ipc:///run/pub.sock', 'tcp://10.1.2.3:5555'), 'ipc:///run/pub.sock');
    assert.equal(connectableEndpoint('tcp://0.0.0.0:5556', 'ipc:///run/ctl.sock'), 'tcp://127.0.0.1:5556');
    assert.equal(connectableEndpoint('tcp://0.0.0.0:5556', 'tcp://0.0.0.0:5555'), 'tcp://127.0.0.1:5556');
  });

  it('reads channels, check_delay and the top-level publish_output', () => {
    const channels = readGlobalOptions({ status: 'ok', options: OPTIONS, publish_output: true }, 'tcp://10.1.2.3:5555');
    assert.deepEqual(channels, {
      pubsub: 'tcp://10.1.2.3:5556',
      stats: 'tcp://10.1.2.3:5557',
      checkDelay: 2,
      publishOutput: true,
    });
  });

  it('takes publish_output only at the top level and only when exactly true', () => {
    const control = 'tcp://10.1.2.3:5555';
    assert.equal(readGlobalOptions({ status: 'ok', options: { ...OPTIONS, publish_output: true } }, control).publishOutput, false);
    assert.equal(readGlobalOptions({ status: 'ok', options: OPTIONS, publish_output: 'true' }, control).publishOutput, false);
    assert.equal(readGlobalOptions({ status: 'ok', options: OPTIONS }, control).publishOutput, false);
  });

  it('bounds check_delay and defaults it when missing or not a positive number', () => {
    const control = 'tcp://10.1.2.3:5555';
    const delay = (check_delay: unknown): number => readGlobalOptions({ status: 'ok', options: { ...OPTIONS, check_delay } }, control).checkDelay;
    assert.equal(delay(0.01), 0.5);
    assert.equal(delay(3600), 60);
    assert.equal(delay(undefined), 5);
    assert.equal(delay(-1), 5);
    assert.equal(delay('2'), 5);
  });

  it('has no channel for a missing or empty endpoint', () => {
    const c = readGlobalOptions({ status: 'ok', options: { check_delay: 1, pubsub_endpoint: '' } }, 'ipc:///x');
    assert.equal(c.pubsub, null);
    assert.equal(c.stats, null);
  });

  it('refuses an error reply or a reply without options, naming the endpoint and reason', () => {
    assert.throws(
      () => readGlobalOptions({ status: 'error', reason: 'boom', errno: 5 }, 'ipc:///x/ctl.sock'),
      /globaloptions of ipc:\/\/\/x\/ctl\.sock failed: boom/,
    );
    assert.throws(() => readGlobalOptions({ status: 'ok' }, 'ipc:///x'), /globaloptions of ipc:\/\/\/x failed: \{"status":"ok"\}/);
    assert.throws(() => readGlobalOptions({ status: 'ok', options: [] }, 'ipc:///x'), /failed/);
  });

  it('notices a change of endpoint or publish_output, not of check_delay', () => {
    const a = { pubsub: 'ipc:///p', stats: 'ipc:///s', checkDelay: 1, publishOutput: false };
    assert.equal(channelsChanged(a, { ...a, checkDelay: 5 }), false);
    assert.equal(channelsChanged(a, { ...a, pubsub: 'ipc:///q' }), true);
    assert.equal(channelsChanged(a, { ...a, stats: null }), true);
    assert.equal(channelsChanged(a, { ...a, publishOutput: true }), true);
  });

  it('retries after 1, 2, 4 s, then every 5 s, whatever the count', () => {
    assert.deepEqual([1, 2, 3, 4, 5, 50, 1e9].map(retryDelayMs), [1000, 2000, 4000, 5000, 5000, 5000, 5000]);
    assert.equal(retryDelayMs(0), 1000);
  });
});
