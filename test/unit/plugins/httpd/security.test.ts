import { strict as assert } from 'node:assert';
import { checkOrigin, CONTENT_SECURITY_POLICY, HostPolicy, hostName } from '../../../../plugins/httpd/security';

describe('plugins/httpd/security: Host and Origin checks', () => {
  it('takes the host name out of a Host header', () => {
    assert.equal(hostName('LocalHost:8080'), 'localhost');
    assert.equal(hostName('[::1]:8080'), '::1');
    assert.equal(hostName('[::1]'), '::1');
    assert.equal(hostName('panel.example.com.'), 'panel.example.com');
    assert.equal(hostName('127.0.0.1'), '127.0.0.1');
    for (const bad of ['', 'a b', 'user@host', '[::1', '[::1]x', 'host:port', 'a/b']) assert.equal(hostName(bad), null, bad);
  });

  it('accepts loopback names, the bound host and the allowed hosts on any port; refuses others (DNS rebinding)', () => {
    const policy = new HostPolicy('10.1.2.3', ['panel.example.com']);
    for (const ok of ['localhost:8080', '127.0.0.1', '[::1]:1', '10.1.2.3:8080', 'panel.example.com', 'PANEL.example.com:443']) {
      assert.equal(policy.checkHost(ok), null, ok);
    }
    for (const bad of ['evil.example', 'evil.example:8080', '127.0.0.2', '10.1.2.4', 'localhost.evil.example']) {
      assert.match(policy.checkHost(bad) ?? '', /is not a name of this panel/, bad);
    }
    assert.match(policy.checkHost(undefined) ?? '', /no Host header/);
  });

  it('accepts no Origin or the same host and port; refuses foreign, null and other-port origins', () => {
    assert.equal(checkOrigin(undefined, '127.0.0.1:8080'), null);
    assert.equal(checkOrigin('http://127.0.0.1:8080', '127.0.0.1:8080'), null);
    assert.equal(checkOrigin('https://panel.example.com', 'panel.example.com'), null);
    assert.equal(checkOrigin('https://panel.example.com', 'panel.example.com:443'), null);
    assert.equal(checkOrigin('http://[::1]:8080', '[::1]:8080'), null);
    assert.match(checkOrigin('http://evil.example', '127.0.0.1:8080') ?? '', /cross-site request refused: Origin 'http:\/\/evil.example'/);
    assert.match(checkOrigin('http://127.0.0.1:9999', '127.0.0.1:8080') ?? '', /cross-site/);
    assert.match(checkOrigin('null', '127.0.0.1:8080') ?? '', /may not act/);
    assert.match(checkOrigin('file://', '127.0.0.1:8080') ?? '', /may not act/);
    assert.match(checkOrigin('not a url', '127.0.0.1:8080') ?? '', /not a URL/);
  });

  it('allows only the panel itself in the Content-Security-Policy', () => {
    assert.match(CONTENT_SECURITY_POLICY, /default-src 'self'/);
    assert.match(CONTENT_SECURITY_POLICY, /frame-ancestors 'none'/);
    assert.doesNotMatch(CONTENT_SECURITY_POLICY, /unsafe|https?:|\*/);
  });
});
