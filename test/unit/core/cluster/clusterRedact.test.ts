// The read-only YAML of an object: certificates stay, tls.key and every other Secret value go,
// including the copy kubectl apply keeps in last-applied-configuration.
import { strict as assert } from 'node:assert';
import { stringify } from 'yaml';
import { REDACTED_VALUE, redactObject } from '../../../../src/core/cluster/redact';
import { clusterPki, kubeRootCa, tlsSecret } from './clusterFixtures';

describe('redactObject', function () {
  this.timeout(30_000);

  it('keeps tls.crt and ca.crt, replaces tls.key, other data, stringData and last-applied', async () => {
    const pki = await clusterPki();
    const keyMarker = 'keymarkc0ffee4b1d2e3f40';
    const otherMarker = 'datamark9a8b7c6d5e4f3a2b';
    const secret = tlsSecret(
      'apps',
      'web',
      {
        crt: pki.good.certPem,
        key: `${pki.good.keyPem}${keyMarker}`,
        ca: pki.issuerCa.certPem,
        extra: { token: otherMarker },
      },
      {
        annotations: {
          'kubectl.kubernetes.io/last-applied-configuration': JSON.stringify({
            data: { token: otherMarker },
          }),
          'cert-manager.io/certificate-name': 'web',
        },
      },
    );
    (secret as { stringData?: unknown }).stringData = { password: otherMarker };
    (secret.metadata as Record<string, unknown>).managedFields = [{ manager: 'kubectl' }];
    const before = JSON.stringify(secret);
    const shown = redactObject(secret) as {
      data: Record<string, string>;
      stringData: Record<string, string>;
      metadata: { annotations: Record<string, string>; managedFields?: unknown };
    };
    assert.equal(JSON.stringify(secret), before, 'the input is left as it was');
    assert.equal(shown.data['tls.crt'], (secret.data as Record<string, string>)['tls.crt']);
    assert.equal(shown.data['ca.crt'], (secret.data as Record<string, string>)['ca.crt']);
    assert.equal(shown.data['tls.key'], REDACTED_VALUE);
    assert.equal(shown.data.token, REDACTED_VALUE);
    assert.equal(shown.stringData.password, REDACTED_VALUE);
    assert.equal(shown.metadata.annotations['cert-manager.io/certificate-name'], 'web');
    assert.equal(shown.metadata.managedFields, undefined);
    const text = stringify(shown);
    const keyB64 = Buffer.from(pki.good.keyPem).toString('base64');
    for (const needle of [
      keyMarker,
      otherMarker,
      Buffer.from(otherMarker).toString('base64'),
      keyB64.slice(40, 80),
    ])
      assert.ok(!text.includes(needle), needle);
  });

  it('leaves a ConfigMap as it is', async () => {
    const pki = await clusterPki();
    const cm = kubeRootCa('apps', pki.clusterCa.certPem);
    assert.deepEqual(redactObject(cm), cm);
  });
});
