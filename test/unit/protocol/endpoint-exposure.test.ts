import { strict as assert } from 'node:assert';
import { endpointHost, exposureWarnings, isBeyondLoopback } from '../../../protocol/endpoint-exposure';

const LOCAL = {
  endpoint: 'tcp://127.0.0.1:5555',
  pubsub_endpoint: 'tcp://127.0.0.1:5556',
  stats_endpoint: 'tcp://127.0.0.1:5557',
  statsd: false,
  curve_secret_key: null,
};

describe('endpoint exposure: which endpoints reach beyond loopback', () => {
  it('wildcards, any-addresses, LAN addresses, host and interface names are beyond loopback', () => {
    for (const e of [
      'tcp://0.0.0.0:5555',
      'tcp://*:5555',
      'tcp://[::]:5555',
      'tcp://:::5555',
      'tcp://192.168.1.20:5555',
      'tcp://10.0.0.7:5555',
      'tcp://[fe80::1]:5555',
      'tcp://myhost.example.org:5555',
      'tcp://eth0:5555',
      'tcp://128.0.0.1:5555',
      'ws://0.0.0.0:8000/ctl',
      'not an endpoint',
    ]) {
      assert.equal(isBeyondLoopback(e), true, e);
    }
  });

  it('127.x, ::1 (any spelling), localhost, ipc:// and inproc:// are local', () => {
    for (const e of [
      'tcp://127.0.0.1:5555',
      'tcp://127.1.2.3:5555',
      'tcp://[::1]:5555',
      'tcp://::1:5555',
      'tcp://localhost:5555',
      'tcp://LOCALHOST:*',
      'tcp://[0:0:0:0:0:0:0:1]:5555',
      'tcp://[::ffff:127.0.0.1]:5555',
      'ws://127.0.0.1:8000/ctl',
      'ipc:///run/circus/ctl.sock',
      'ipc://relative.sock',
      'inproc://circus',
    ]) {
      assert.equal(isBeyondLoopback(e), false, e);
    }
  });

  it('endpointHost splits the host from the port, brackets and paths', () => {
    assert.deepEqual(endpointHost('tcp://[::1]:5555'), { scheme: 'tcp', host: '::1' });
    assert.deepEqual(endpointHost('tcp://10.0.0.1:5555'), { scheme: 'tcp', host: '10.0.0.1' });
    assert.deepEqual(endpointHost('ws://h:1/p:q'), { scheme: 'ws', host: 'h' });
    assert.equal(endpointHost('ipc:///x'), null);
  });

  it('no warning for loopback endpoints, nor with CURVE on whatever the endpoints', () => {
    assert.deepEqual(exposureWarnings(LOCAL), []);
    assert.deepEqual(exposureWarnings({ ...LOCAL, endpoint: 'tcp://0.0.0.0:5555', pubsub_endpoint: 'tcp://*:5556', curve_secret_key: 'server.key_secret' }), []);
  });

  it('one loud line per exposed endpoint, naming the key, the endpoint, the risk and the ways out', () => {
    const warnings = exposureWarnings({ ...LOCAL, endpoint: 'tcp://0.0.0.0:5555', pubsub_endpoint: 'tcp://192.168.1.20:5556' });
    assert.equal(warnings.length, 2);
    assert.match(warnings[0], /^SECURITY WARNING: the control endpoint \(endpoint = tcp:\/\/0\.0\.0\.0:5555\) is bound beyond loopback without authentication or encryption/);
    assert.match(warnings[0], /run any command as circusd's user/);
    assert.match(warnings[0], /curve_secret_key and curve_authorized_keys, see docs\/security\.md\) or bind it to 127\.0\.0\.1 or an ipc:\/\/ path\.$/);
    assert.match(warnings[1], /the pubsub endpoint \(pubsub_endpoint = tcp:\/\/192\.168\.1\.20:5556\)/);
  });

  it('the stats endpoint is only warned about when the streamer binds it (statsd)', () => {
    const exposedStats = { ...LOCAL, stats_endpoint: 'tcp://*:5557' };
    assert.deepEqual(exposureWarnings(exposedStats), []);
    const [line] = exposureWarnings({ ...exposedStats, statsd: true });
    assert.match(line, /the stats endpoint \(stats_endpoint = tcp:\/\/\*:5557\)/);
  });
});
