// Expectations from Go's golang.org/x/net/http/httpproxy (vendored in Go 1.23, used by
// http.ProxyFromEnvironment and so by client-go) and client-go's proxy-url (http.ProxyURL).
import assert from 'node:assert/strict';
import { bypassesProxy, proxyRoute } from '../../../../src/core/probe/proxy';
import { probeTarget, type ProbeTarget } from '../../../../src/core/probe/target';

function target(server: string): ProbeTarget {
  const result = probeTarget(server);
  assert.ok(result.ok);
  return result.target;
}

describe('probe: proxy selection as client-go does it', () => {
  it('proxy-url always wins, loopback included', () => {
    const route = proxyRoute(target('https://127.0.0.1:6443'), 'http://proxy.local:3128', {
      HTTPS_PROXY: 'http://other:8080',
    });
    assert.ok(route.ok);
    assert.equal(route.route?.source, 'proxy-url');
    assert.equal(route.route?.url.host, 'proxy.local:3128');
  });

  it('HTTPS_PROXY (then https_proxy) for https servers; host[:port] means http://', () => {
    const upper = proxyRoute(target('https://api.example.com'), undefined, {
      HTTPS_PROXY: 'proxy:3128',
      https_proxy: 'http://lower:1',
    });
    assert.ok(upper.ok);
    assert.equal(upper.route?.from, 'HTTPS_PROXY');
    assert.equal(upper.route?.url.href, 'http://proxy:3128/');
    const lower = proxyRoute(target('https://api.example.com'), undefined, { https_proxy: 'http://lower:1' });
    assert.ok(lower.ok);
    assert.equal(lower.route?.from, 'https_proxy');
    // HTTP_PROXY is for http:// URLs only.
    const none = proxyRoute(target('https://api.example.com'), undefined, { HTTP_PROXY: 'http://p:1' });
    assert.deepEqual(none, { ok: true });
  });

  it('never proxies localhost or loopback IPs from the environment', () => {
    const env = { HTTPS_PROXY: 'http://proxy:3128' };
    for (const server of [
      'https://127.0.0.1:6443',
      'https://localhost:6443',
      'https://[::1]:6443',
      'https://127.3.4.5',
    ]) {
      assert.deepEqual(proxyRoute(target(server), undefined, env), { ok: true }, server);
    }
  });

  it('NO_PROXY: domains and subdomains, leading dot and *., IPs, CIDRs, ports, *', () => {
    assert.equal(bypassesProxy('example.com', 'example.com', 443), true);
    assert.equal(bypassesProxy('example.com', 'api.example.com', 443), true);
    assert.equal(bypassesProxy('.example.com', 'example.com', 443), false);
    assert.equal(bypassesProxy('.example.com', 'api.example.com', 443), true);
    assert.equal(bypassesProxy('*.example.com', 'example.com', 443), false);
    assert.equal(bypassesProxy('*.example.com', 'api.example.com', 443), true);
    assert.equal(bypassesProxy('ample.com', 'example.com', 443), false);
    assert.equal(bypassesProxy('10.0.0.0/8', '10.1.2.3', 6443), true);
    assert.equal(bypassesProxy('10.0.0.0/8', '11.1.2.3', 6443), false);
    assert.equal(bypassesProxy('10.1.2.3', '10.1.2.3', 6443), true);
    assert.equal(bypassesProxy('10.1.2.3:443', '10.1.2.3', 6443), false);
    assert.equal(bypassesProxy('example.com:6443', 'api.example.com', 6443), true);
    assert.equal(bypassesProxy('example.com:6443', 'api.example.com', 443), false);
    assert.equal(bypassesProxy(' foo.org , *', 'anything', 1), true);
    assert.equal(bypassesProxy('fd00::/8', 'fd00::1', 443), true);
    assert.equal(bypassesProxy('EXAMPLE.com', 'api.Example.com', 443), true);
  });

  it('NO_PROXY (then no_proxy) turns the environment proxy off for a matching server', () => {
    const env = { HTTPS_PROXY: 'http://proxy:3128', no_proxy: 'corp.internal' };
    assert.deepEqual(proxyRoute(target('https://k8s.corp.internal:6443'), undefined, env), { ok: true });
    const other = proxyRoute(target('https://k8s.example.com:6443'), undefined, env);
    assert.ok(other.ok && other.route);
  });

  it('refuses a proxy-url that is not a URL', () => {
    const route = proxyRoute(target('https://api.example.com'), 'not a url', {});
    assert.equal(route.ok, false);
  });
});
