// The kubelet folder (/var/lib/kubelet) in the PKI inventory: the client certificate behind the
// kubelet-client-current.pem link, the serving pair, config.yaml's rotation settings, and the
// rotated files kept apart. Expected names and behaviour from the kubelet's certificate store
// (k8s.io/client-go/util/certificate: kubelet-<role>-2006-01-02-15-04-05.pem + *-current.pem link).
import { strict as assert } from 'node:assert';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PkiScanner } from '../../../../src/core/pki/scanner';
import { issueCertificate } from '../../../../src/core/x509/issue';
import { folderLooksLikePki, openPkiFolder } from '../../../../src/node/pki/fsSource';
import { pkiAuditFindings } from '../../../../src/node/pki/audit';
import { removeTree } from '../../../fixtures/kubeadm';
import { writeKubeletFolder } from '../../../fixtures/kubelet';

const EC = { algorithm: 'EC', curve: 'P-256' } as const;
const DAY = 86_400_000;
const NOW = new Date('2026-06-01T00:00:00Z');
const at = (days: number) => new Date(NOW.getTime() + days * DAY);

async function clusterCa() {
  return issueCertificate({
    subject: { commonName: 'kubernetes' },
    notBefore: at(-400),
    notAfter: at(3000),
    basicConstraints: { ca: true },
    keyUsage: ['digitalSignature', 'keyEncipherment', 'keyCertSign'],
    key: EC,
  });
}

async function scan(root: string) {
  return new PkiScanner(await openPkiFolder(root)).scan({ now: NOW, warnDays: 30 });
}

describe('kubelet folder in the PKI inventory', function () {
  this.timeout(20_000);
  const dirs: string[] = [];
  after(() => dirs.forEach(removeTree));

  it('shows the current client certificate through its link, the self-signed serving pair, older rotations as backups', async () => {
    const { root } = await writeKubeletFolder({
      now: NOW,
      nodeName: 'node-1',
      clusterCa: await clusterCa(),
      key: EC,
      clients: [
        { notBefore: at(-700), notAfter: at(-335) },
        { notBefore: at(-300), notAfter: at(65) },
      ],
    });
    dirs.push(root);
    // Pods' volumes hold other people's secrets: never listed.
    mkdirSync(join(root, 'pods/x/volumes'), { recursive: true });
    writeFileSync(join(root, 'pods/x/volumes/tls.crt'), 'not read');
    assert.equal(await folderLooksLikePki(root), true);
    const inv = await scan(root);
    assert.equal(inv.layout, 'kubelet');
    assert.deepEqual(
      inv.kubelet.map((i) => [i.name, i.path, i.state]),
      [
        ['kubelet-client', 'pki/kubelet-client-current.pem', 'ok'],
        ['kubelet-serving', 'pki/kubelet.crt', 'ok'],
      ],
    );
    const client = inv.kubelet[0];
    assert.equal(client.certificate?.subject.display.includes('system:node:node-1'), true);
    assert.match(
      client.kubelet?.linkTarget ?? '',
      /kubelet-client-\d{4}-\d{2}-\d{2}-\d{2}-\d{2}-\d{2}\.pem$/,
    );
    assert.equal(client.rotatedByKubelet, true);
    assert.equal(client.kubelet?.rotateCertificates, 'true');
    assert.equal(inv.kubelet[1].kubelet?.selfSigned, true);
    // The older rotation is a backup, the current one's file is not listed twice.
    assert.equal(inv.backups.length, 1);
    assert.match(inv.backups[0].path, /kubelet-client-/);
    assert.equal(inv.backups[0].state, 'expired');
    assert.equal(inv.unknownIssuer.length, 0, inv.unknownIssuer.map((i) => i.path).join());
    assert.equal(
      [...inv.items.values()].some((i) => i.path.startsWith('pods/')),
      false,
    );
    assert.deepEqual(
      inv.findings.map((f) => f.code),
      [],
    );
  });

  it('reports an expired client certificate, an expiring serving one and rotation switched off', async () => {
    const { root } = await writeKubeletFolder({
      now: NOW,
      nodeName: 'node-2',
      clusterCa: await clusterCa(),
      key: EC,
      clients: [{ notBefore: at(-400), notAfter: at(-35) }],
      serving: { notBefore: at(-355), notAfter: at(10) },
      config: { rotateCertificates: false },
    });
    dirs.push(root);
    const inv = await scan(root);
    const codes = (name: string) => inv.kubelet.find((i) => i.name === name)?.findings.map((f) => f.code);
    assert.deepEqual(codes('kubelet-client'), ['kubelet-client-cert-expired', 'kubelet-rotation-disabled']);
    assert.deepEqual(codes('kubelet-serving'), ['kubelet-serving-cert-expiring']);
    const expired = inv.kubelet[0].findings[0];
    assert.equal(expired.params.days, 35);
    assert.equal(expired.params.path, join(root, 'pki/kubelet-client-current.pem'));
    const rotation = inv.kubelet[0].findings[1];
    assert.equal(rotation.file, join(root, 'config.yaml'));
    assert.equal(rotation.params.setting, 'false');
    // The finding points at the value in config.yaml.
    assert.equal(inv.texts.get(rotation.file)?.slice(rotation.span.start, rotation.span.end), 'false');
    assert.equal(inv.kubelet[0].state, 'expired');
    assert.equal(inv.kubelet[1].state, 'expiring');
  });

  it('takes the serving certificate from kubelet-server-current.pem with serverTLSBootstrap', async () => {
    const { root } = await writeKubeletFolder({
      now: NOW,
      nodeName: 'node-3',
      clusterCa: await clusterCa(),
      key: EC,
      config: { rotateCertificates: true, serverTLSBootstrap: true },
    });
    dirs.push(root);
    const inv = await scan(root);
    const serving = inv.kubelet[1];
    assert.equal(serving.path, 'pki/kubelet-server-current.pem');
    assert.equal(serving.kubelet?.selfSigned, false);
    assert.equal(serving.kubelet?.serverTLSBootstrap, 'true');
    assert.deepEqual(
      serving.findings.map((f) => f.code),
      [],
    );
  });

  it('kubecerts audit DIR finds the same as the view', async () => {
    const { root } = await writeKubeletFolder({
      now: NOW,
      nodeName: 'node-4',
      clusterCa: await clusterCa(),
      key: EC,
      clients: [{ notBefore: at(-360), notAfter: at(5) }],
      config: {},
    });
    dirs.push(root);
    const result = await pkiAuditFindings(root, { now: NOW, warnDays: 30 });
    assert.deepEqual(result?.findings.map((f) => f.code).sort(), [
      'kubelet-client-cert-expiring',
      'kubelet-rotation-disabled',
    ]);
  });
});
