import * as assert from 'assert';
import { formatConfig } from '../../../config';
import { loadFixture, loadText, TempDir } from './helpers';

describe('config/circus-options: the [circus] section (spec/daemon.md 1.7)', () => {
  const tmp = new TempDir();
  after(() => tmp.cleanup());

  it('fills every default when the section is absent', () => {
    const { config } = loadText(tmp, '[watcher:w]\ncmd = x\n');
    const { watchers, plugins, sockets, ...circus } = config;
    assert.deepStrictEqual(circus, {
      check_delay: 5.0,
      endpoint: 'tcp://127.0.0.1:5555',
      endpoint_owner: null,
      pubsub_endpoint: 'tcp://127.0.0.1:5556',
      multicast_endpoint: '',
      stats_endpoint: 'tcp://127.0.0.1:5557',
      statsd: false,
      umask: null,
      warmup_delay: 0,
      httpd: false,
      httpd_host: 'localhost',
      httpd_port: 8080,
      httpd_password_hash: null,
      httpd_allowed_hosts: [],
      httpd_secure_cookie: false,
      publish_output: false,
      curve_secret_key: null,
      curve_authorized_keys: [],
      audit_log: null,
      max_request_size: 1048576,
      max_requests_per_client: 64,
      debug: false,
      debug_gc: false,
      pidfile: null,
      loglevel: null,
      logoutput: null,
      loggerconfig: null,
      fqdn_prefix: null,
    });
    assert.strictEqual(watchers.length, 1);
    assert.deepStrictEqual([plugins, sockets], [[], []]);
  });

  it('leaves multicast discovery off by default (quirk Q40, deliberate difference)', () => {
    assert.strictEqual(loadText(tmp, '[circus]\n').config.multicast_endpoint, '');
  });

  it('reads and casts every option', () => {
    const { config } = loadFixture('circus_options.ini');
    assert.strictEqual(config.check_delay, 10.5);
    assert.strictEqual(config.endpoint, 'ipc:///tmp/circus-test-endpoint.sock');
    assert.strictEqual(config.endpoint_owner, 'nobody');
    assert.strictEqual(config.pubsub_endpoint, 'tcp://127.0.0.1:6556');
    assert.strictEqual(config.multicast_endpoint, 'udp://237.219.251.97:12027');
    assert.strictEqual(config.statsd, true);
    assert.strictEqual(config.umask, 0o22);
    assert.strictEqual(config.warmup_delay, 2);
    assert.strictEqual(config.httpd, true);
    assert.strictEqual(config.httpd_host, '127.0.0.1');
    assert.strictEqual(config.httpd_port, 9090);
    assert.strictEqual(config.debug, true);
    assert.strictEqual(config.debug_gc, false);
    assert.strictEqual(config.pidfile, '/tmp/circus-test.pid');
    assert.strictEqual(config.loglevel, 'debug');
    assert.strictEqual(config.logoutput, 'syslog://localhost:514?test');
    assert.strictEqual(config.loggerconfig, 'logging.ini');
    assert.strictEqual(config.fqdn_prefix, 'box');
  });

  it('ignores unknown keys and the unread ones (stream_backend, *_close_outputs) without error', () => {
    const { config, warnings } = loadFixture('circus_options.ini');
    assert.ok(!('some_unknown_option' in config));
    assert.ok(!('stream_backend' in config));
    assert.ok(!('statsd_close_outputs' in config));
    assert.deepStrictEqual(warnings, []);
  });

  it('returns pidfile, loglevel and logoutput as given (8.1 #13, #27)', () => {
    const { config } = loadText(tmp, '[circus]\npidfile = pidfile\nloglevel = debug\nlogoutput = logoutput\n');
    assert.deepStrictEqual([config.pidfile, config.loglevel, config.logoutput], ['pidfile', 'debug', 'logoutput']);
  });

  it('keeps check_delay a float (8.1 #24) and prints it as one', () => {
    const { config } = loadText(tmp, '[circus]\ncheck_delay = 10.5\n');
    assert.strictEqual(config.check_delay, 10.5);
    assert.match(formatConfig(loadText(tmp, '[circus]\n').config), /"check_delay": 5\.0,/);
  });

  it('forces statsd on when stats_endpoint is present, even with statsd = false (quirk Q6)', () => {
    const { config, warnings } = loadText(tmp, '[circus]\nstats_endpoint = tcp://127.0.0.1:6557\nstatsd = false\n');
    assert.strictEqual(config.statsd, true);
    assert.strictEqual(config.stats_endpoint, 'tcp://127.0.0.1:6557');
    assert.strictEqual(warnings.length, 1);
    assert.match(warnings[0], /stats_endpoint is set, so statsd is turned on/);
  });

  it('parses umask as octal; 0 is a value, the empty string means unset', () => {
    assert.strictEqual(loadText(tmp, '[circus]\numask = 000\n').config.umask, 0);
    assert.strictEqual(loadText(tmp, '[circus]\numask = 002\n').config.umask, 2);
    assert.strictEqual(loadText(tmp, '[circus]\numask =\n').config.umask, null);
  });

  it('sees [DEFAULT] options when the [circus] section exists', () => {
    assert.strictEqual(loadText(tmp, '[DEFAULT]\ncheck_delay = 2\n[circus]\n').config.check_delay, 2);
    assert.strictEqual(loadText(tmp, '[DEFAULT]\ncheck_delay = 2\n[watcher:w]\ncmd = x\n').config.check_delay, 5);
  });

  it('accepts a syslog log output URL (8.1 #27)', () => {
    assert.strictEqual(loadText(tmp, '[circus]\nlogoutput = syslog://localhost:514?test\n').config.logoutput, 'syslog://localhost:514?test');
  });

  describe('circus-ts panel and output options', () => {
    const hash = 'scrypt$16384$8$1$' + 'c2FsdHNhbHRzYWx0c2FsdA==' + '$' + 'A'.repeat(43) + '=';

    it('reads httpd_password_hash, httpd_allowed_hosts, httpd_secure_cookie and publish_output', () => {
      const { config } = loadText(
        tmp,
        `[circus]\nhttpd = 1\nhttpd_host = 0.0.0.0\nhttpd_password_hash = ${hash}\n` +
          'httpd_allowed_hosts = circus.example.com, panel.local\nhttpd_secure_cookie = true\npublish_output = 1\n',
      );
      assert.strictEqual(config.httpd_password_hash, hash);
      assert.deepStrictEqual(config.httpd_allowed_hosts, ['circus.example.com', 'panel.local']);
      assert.strictEqual(config.httpd_secure_cookie, true);
      assert.strictEqual(config.publish_output, true);
    });

    it('refuses a panel beyond loopback without a login, naming [circus] httpd_host', () => {
      assert.throws(
        () => loadText(tmp, '[circus]\nhttpd = 1\nhttpd_host = 0.0.0.0\n'),
        (err: Error) => /\[circus\]/.test(err.message) && /httpd_host/.test(err.message) && /without a login/.test(err.message),
      );
    });

    it('accepts a loopback panel without a login, and a non-loopback host when httpd is off', () => {
      assert.strictEqual(loadText(tmp, '[circus]\nhttpd = 1\nhttpd_host = 127.0.0.1\n').config.httpd_password_hash, null);
      assert.strictEqual(loadText(tmp, '[circus]\nhttpd_host = 0.0.0.0\n').config.httpd, false);
    });

    it('refuses a plain password in httpd_password_hash, naming the key', () => {
      assert.throws(
        () => loadText(tmp, '[circus]\nhttpd_password_hash = hunter2\n'),
        (err: Error) => /httpd_password_hash/.test(err.message) && /not a password hash/.test(err.message),
      );
    });
  });

  describe('circus-ts security options', () => {
    it('reads the CURVE key options, audit_log and the control limits', () => {
      const { config } = loadText(
        tmp,
        '[circus]\ncurve_secret_key = keys/server.key_secret\ncurve_authorized_keys = keys/clients, alice.key\n' +
          'audit_log = audit.jsonl\nmax_request_size = 65536\nmax_requests_per_client = 8\n',
      );
      assert.strictEqual(config.curve_secret_key, 'keys/server.key_secret');
      assert.deepStrictEqual(config.curve_authorized_keys, ['keys/clients', 'alice.key']);
      assert.strictEqual(config.audit_log, 'audit.jsonl');
      assert.strictEqual(config.max_request_size, 65536);
      assert.strictEqual(config.max_requests_per_client, 8);
    });

    it('refuses a server key without authorized keys, and authorized keys without a server key', () => {
      assert.throws(() => loadText(tmp, '[circus]\ncurve_secret_key = s.key_secret\n'), /curve_secret_key.*curve_authorized_keys is empty/s);
      assert.throws(() => loadText(tmp, '[circus]\ncurve_authorized_keys = a.key\n'), /curve_authorized_keys.*curve_secret_key is not/s);
    });

    it('refuses limits below their minimum, naming the key', () => {
      assert.throws(() => loadText(tmp, '[circus]\nmax_request_size = 10\n'), /max_request_size.*at least 1024/s);
      assert.throws(() => loadText(tmp, '[circus]\nmax_requests_per_client = 0\n'), /max_requests_per_client.*at least 1/s);
    });
  });
});
