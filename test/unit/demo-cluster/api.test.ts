// The API surface beyond what kubectl exercises: list options, watch streams, Table output,
// patches, validation and admission errors, self reviews, the protobuf body kubectl sends.
// One file over 400 lines on purpose: every case talks to one demo cluster started once.
import { strict as assert } from 'node:assert';
import { X509Certificate } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { request } from 'node:https';
import * as os from 'node:os';
import * as path from 'node:path';
import { startDemoCluster, type DemoCluster } from '../../../tools/demo-cluster/cluster';
import {
  buildCertificateRequest,
  generateKey,
  privateKeyToPem,
  type SanSpec,
} from '../../../src/core/x509/issue';
import { CSR_PATH, api, credentials, waitUntil } from './helpers';

type Creds = Awaited<ReturnType<typeof credentials>>;

describe('demo cluster API', function () {
  this.timeout(30_000);
  let dir: string;
  let cluster: DemoCluster;
  let admin: Creds;
  let viewer: Creds;
  let keyPem: string;

  before(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'kubecerts-demo-api-'));
    cluster = await startDemoCluster({
      dir,
      key: { algorithm: 'EC', curve: 'P-256' },
      signingDurationMs: 2 * 3600_000,
    });
    admin = await credentials(cluster.kubeconfig('admin.conf'));
    viewer = await credentials(cluster.kubeconfig('viewer.conf'));
    keyPem = privateKeyToPem(await generateKey({ algorithm: 'EC', curve: 'P-256' }));
  });
  after(async () => {
    await cluster?.stop();
    await fs.rm(dir, { recursive: true, force: true });
  });

  async function csrBody(
    name: string,
    subject: { commonName: string; organizations?: string[] },
    extra: Record<string, unknown> = {},
    sans?: SanSpec,
  ) {
    const pem = await buildCertificateRequest({ subject, keyPem, sans });
    return {
      apiVersion: 'certificates.k8s.io/v1',
      kind: 'CertificateSigningRequest',
      metadata: { name, labels: { batch: name.split('-')[0] } },
      spec: {
        request: Buffer.from(pem).toString('base64'),
        signerName: 'kubernetes.io/kube-apiserver-client',
        usages: ['client auth'],
        ...extra,
      },
    };
  }

  async function approve(name: string): Promise<void> {
    const csr = (await api(admin, 'GET', `${CSR_PATH}/${name}`)).body;
    csr.status.conditions = [
      { type: 'Approved', status: 'True', reason: 'Test', message: 'approved by test' },
    ];
    const r = await api(admin, 'PUT', `${CSR_PATH}/${name}/approval`, csr);
    assert.equal(r.status, 200, r.text);
  }

  it('health and version are public; everything else needs credentials (401)', async () => {
    const anonymous = { server: admin.server, ca: admin.ca };
    assert.equal((await api(anonymous, 'GET', '/healthz')).text, 'ok');
    assert.equal((await api(anonymous, 'GET', '/version')).body.major, '1');
    const r = await api(anonymous, 'GET', CSR_PATH);
    assert.equal(r.status, 401);
    assert.deepEqual([r.body.kind, r.body.reason, r.body.code], ['Status', 'Unauthorized', 401]);
    const badToken = await api({ ...anonymous, token: 'abcdef.0123456789abcdef' } as Creds, 'GET', CSR_PATH);
    assert.equal(badToken.status, 401);
  });

  it('discovery maps csr to certificates.k8s.io/v1', async () => {
    const groups = (await api(admin, 'GET', '/apis')).body;
    assert.ok(groups.groups.some((g: { name: string }) => g.name === 'certificates.k8s.io'));
    const resources = (await api(admin, 'GET', '/apis/certificates.k8s.io/v1')).body.resources;
    const csr = resources.find((r: { name: string }) => r.name === 'certificatesigningrequests');
    assert.deepEqual(csr.shortNames, ['csr']);
    assert.ok(resources.some((r: { name: string }) => r.name === 'certificatesigningrequests/approval'));
  });

  it('creates with the requester identity, ignoring a forged one', async () => {
    const body = await csrBody('forge-1', { commonName: 'forge' });
    Object.assign(body.spec, { username: 'system:admin', groups: ['system:masters'] });
    const r = await api(admin, 'POST', CSR_PATH, body);
    assert.equal(r.status, 201, r.text);
    assert.equal(r.body.spec.username, 'kubernetes-admin');
    assert.deepEqual(r.body.spec.groups, ['kubeadm:cluster-admins', 'system:authenticated']);
    const again = await api(admin, 'POST', CSR_PATH, body);
    assert.equal(again.status, 409);
    assert.equal(again.body.reason, 'AlreadyExists');
  });

  it('validation errors are 422 Invalid with Kubernetes wording', async () => {
    const cases: [Record<string, unknown>, RegExp][] = [
      [
        { expirationSeconds: 300 },
        /spec.expirationSeconds: Invalid value: 300: may not specify a duration less than 600 seconds \(10 minutes\)/,
      ],
      [{ usages: ['client auth', 'bogus'] }, /spec.usages\[1\]: Unsupported value: "bogus"/],
      [
        { signerName: 'kubernetes.io/legacy-unknown' },
        /spec.signerName: .*the legacy signerName is not allowed via this API version/,
      ],
      [{ signerName: 'nodomain' }, /spec.signerName: .*must be a fully qualified domain and path/],
      [
        {
          request: Buffer.from('-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n').toString(
            'base64',
          ),
        },
        /PEM block type must be CERTIFICATE REQUEST/,
      ],
    ];
    for (const [i, [spec, message]] of cases.entries()) {
      const r = await api(admin, 'POST', CSR_PATH, await csrBody(`invalid-${i}`, { commonName: 'x' }, spec));
      assert.equal(r.status, 422, r.text);
      assert.equal(r.body.reason, 'Invalid');
      assert.match(r.body.message, message);
    }
    const badName = await api(admin, 'POST', CSR_PATH, await csrBody('Not_Valid', { commonName: 'x' }));
    assert.equal(badName.status, 422);
    assert.match(
      badName.body.message,
      /metadata.name: Invalid value: "Not_Valid": a lowercase RFC 1123 subdomain/,
    );
  });

  it('kube-apiserver-client refuses O=system:masters at admission (403)', async () => {
    const r = await api(
      admin,
      'POST',
      CSR_PATH,
      await csrBody('masters', { commonName: 'root', organizations: ['system:masters'] }),
    );
    assert.equal(r.status, 403);
    assert.match(
      r.body.message,
      /use of kubernetes.io\/kube-apiserver-client signer with system:masters group is not allowed/,
    );
  });

  it('fieldValidation=Strict rejects unknown fields; Warn answers with a warning', async () => {
    const body = await csrBody('strict-1', { commonName: 'x' });
    (body.spec as Record<string, unknown>).bogus = true;
    const strict = await api(admin, 'POST', `${CSR_PATH}?fieldValidation=Strict`, body);
    assert.equal(strict.status, 400);
    assert.match(strict.body.message, /strict decoding error: unknown field "spec.bogus"/);
    const warn = await api(admin, 'POST', CSR_PATH, body);
    assert.equal(warn.status, 201);
    assert.match(String(warn.headers.warning), /unknown field \\"spec.bogus\\"/);
  });

  it('generateName, dryRun', async () => {
    const body = await csrBody('', { commonName: 'gen' });
    body.metadata = { generateName: 'csr-', labels: { batch: 'gen' } } as never;
    const r = await api(admin, 'POST', CSR_PATH, body);
    assert.equal(r.status, 201);
    assert.match(r.body.metadata.name, /^csr-[a-z0-9]{5}$/);
    const dry = await api(
      admin,
      'POST',
      `${CSR_PATH}?dryRun=All`,
      await csrBody('dry-1', { commonName: 'dry' }),
    );
    assert.equal(dry.status, 201);
    assert.equal((await api(admin, 'GET', `${CSR_PATH}/dry-1`)).status, 404);
  });

  it('list: labelSelector, fieldSelector, limit and continue', async () => {
    for (const n of [1, 2, 3, 4, 5])
      assert.equal(
        (await api(admin, 'POST', CSR_PATH, await csrBody(`page-${n}`, { commonName: `p${n}` }))).status,
        201,
      );
    const byLabel = (await api(admin, 'GET', `${CSR_PATH}?labelSelector=batch%3Dpage`)).body;
    assert.deepEqual(
      byLabel.items.map((i: { metadata: { name: string } }) => i.metadata.name),
      ['page-1', 'page-2', 'page-3', 'page-4', 'page-5'],
    );
    const byField = (await api(admin, 'GET', `${CSR_PATH}?fieldSelector=metadata.name%3Dpage-3`)).body;
    assert.equal(byField.items.length, 1);
    const setBased = (await api(admin, 'GET', `${CSR_PATH}?labelSelector=batch%20in%20(page,gen)`)).body;
    assert.equal(setBased.items.length, 6);
    const names: string[] = [];
    let token = '';
    let pages = 0;
    do {
      const page = (
        await api(
          admin,
          'GET',
          `${CSR_PATH}?labelSelector=batch%3Dpage&limit=2${token ? `&continue=${token}` : ''}`,
        )
      ).body;
      names.push(...page.items.map((i: { metadata: { name: string } }) => i.metadata.name));
      token = page.metadata.continue ?? '';
      pages++;
    } while (token);
    assert.equal(pages, 3);
    assert.deepEqual(names, ['page-1', 'page-2', 'page-3', 'page-4', 'page-5']);
    const badField = await api(admin, 'GET', `${CSR_PATH}?fieldSelector=spec.username%3Dx`);
    assert.equal(badField.status, 400);
  });

  it('server-side Table output with the CSR columns', async () => {
    const accept = 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json';
    const table = (
      await api(admin, 'GET', `${CSR_PATH}?labelSelector=batch%3Dpage`, undefined, { Accept: accept })
    ).body;
    assert.equal(table.kind, 'Table');
    assert.deepEqual(
      table.columnDefinitions.map((c: { name: string }) => c.name),
      ['Name', 'Age', 'SignerName', 'Requestor', 'RequestedDuration', 'Condition'],
    );
    assert.deepEqual(table.rows[0].cells.slice(2), [
      'kubernetes.io/kube-apiserver-client',
      'kubernetes-admin',
      '<none>',
      'Pending',
    ]);
    assert.equal(table.rows[0].object.kind, 'PartialObjectMetadata');
    const nodes = (await api(admin, 'GET', '/api/v1/nodes', undefined, { Accept: accept })).body;
    assert.deepEqual(
      nodes.rows.map((r: { cells: string[] }) => r.cells[0]),
      ['cp-1', 'node-1', 'node-2', 'node-3'],
    );
  });

  it('nodes carry the addresses approvers compare SANs with', async () => {
    const node = (await api(viewer, 'GET', '/api/v1/nodes/node-1')).body;
    assert.deepEqual(node.status.addresses, [
      { type: 'InternalIP', address: '10.0.0.11' },
      { type: 'Hostname', address: 'node-1' },
    ]);
    assert.equal((await api(viewer, 'GET', '/api/v1/nodes/node-9')).status, 404);
  });

  it('watch streams ADDED, MODIFIED and DELETED from a resourceVersion', async () => {
    const start = (await api(admin, 'GET', CSR_PATH)).body.metadata.resourceVersion;
    const events: { type: string; object: { metadata: { name: string } } }[] = [];
    const url = new URL(
      `${CSR_PATH}?watch=true&resourceVersion=${start}&fieldSelector=metadata.name%3Dwatched`,
      admin.server,
    );
    const req = request(url, { ca: admin.ca, cert: admin.cert, key: admin.key }, (res) => {
      let buffer = '';
      res.on('data', (chunk: Buffer) => {
        buffer += chunk.toString();
        let nl;
        while ((nl = buffer.indexOf('\n')) >= 0) {
          events.push(JSON.parse(buffer.slice(0, nl)));
          buffer = buffer.slice(nl + 1);
        }
      });
    });
    req.end();
    try {
      assert.equal(
        (await api(admin, 'POST', CSR_PATH, await csrBody('watched', { commonName: 'w' }))).status,
        201,
      );
      await approve('watched');
      await waitUntil(async () =>
        events.some((e) => e.type === 'MODIFIED' && JSON.stringify(e).includes('certificate')),
      );
      assert.equal((await api(admin, 'DELETE', `${CSR_PATH}/watched`)).status, 200);
      await waitUntil(async () => events.some((e) => e.type === 'DELETED'));
      const types = events.map((e) => e.type);
      assert.equal(types[0], 'ADDED');
      assert.equal(types[types.length - 1], 'DELETED');
      assert.ok(types.slice(1, -1).every((t) => t === 'MODIFIED'));
      assert.ok(events.every((e) => e.object.metadata.name === 'watched'));
    } finally {
      req.destroy();
    }
  });

  it('the signer honours min(expirationSeconds, signing duration) and the signer rules', async () => {
    assert.equal(
      (
        await api(
          admin,
          'POST',
          CSR_PATH,
          await csrBody('long-1', { commonName: 'long' }, { expirationSeconds: 86400 }),
        )
      ).status,
      201,
    );
    await approve('long-1');
    await cluster.idle();
    const issued = (await api(admin, 'GET', `${CSR_PATH}/long-1`)).body;
    const cert = new X509Certificate(Buffer.from(issued.status.certificate, 'base64').toString());
    assert.equal(Date.parse(cert.validTo) - Date.parse(cert.validFrom), 2 * 3600_000 + 300_000);
    assert.ok(cert.checkIssued(new X509Certificate(admin.ca)));

    const serving = await csrBody(
      'serving-1',
      { commonName: 'system:node:node-1', organizations: ['system:nodes'] },
      {
        signerName: 'kubernetes.io/kubelet-serving',
        usages: ['digital signature', 'client auth'],
      },
      { dns: ['node-1'] },
    );
    assert.equal((await api(admin, 'POST', CSR_PATH, serving)).status, 201);
    await approve('serving-1');
    await cluster.idle();
    const failed = (await api(admin, 'GET', `${CSR_PATH}/serving-1`)).body;
    const condition = failed.status.conditions.find((c: { type: string }) => c.type === 'Failed');
    assert.deepEqual(
      [condition.reason, condition.message],
      ['SignerValidationFailure', 'usages did not match [digital signature key encipherment server auth]'],
    );
    assert.equal(failed.status.certificate, undefined);
  });

  it('Approved, Denied and Failed are permanent; /status cannot approve, /approval cannot issue', async () => {
    const current = (await api(admin, 'GET', `${CSR_PATH}/long-1`)).body;
    const removed = structuredClone(current);
    removed.status.conditions = [];
    const r = await api(admin, 'PUT', `${CSR_PATH}/long-1/approval`, removed);
    assert.equal(r.status, 422);
    assert.match(r.body.message, /updates may not remove a condition of type "Approved"/);

    for (const name of ['pending-1', 'pending-2']) {
      assert.equal(
        (await api(admin, 'POST', CSR_PATH, await csrBody(name, { commonName: 'p' }))).status,
        201,
      );
    }
    const viaStatus = (await api(admin, 'GET', `${CSR_PATH}/pending-1`)).body;
    viaStatus.status = { conditions: [{ type: 'Approved', status: 'True', reason: 'Sneaky' }] };
    const statusResult = await api(admin, 'PUT', `${CSR_PATH}/pending-1/status`, viaStatus);
    assert.equal(statusResult.status, 200, statusResult.text);
    assert.equal(
      statusResult.body.status.conditions,
      undefined,
      'approval conditions are kept from the stored object',
    );

    const viaApproval = (await api(admin, 'GET', `${CSR_PATH}/pending-2`)).body;
    viaApproval.status = {
      conditions: [{ type: 'Approved', status: 'True', reason: 'Test' }],
      certificate: current.status.certificate,
    };
    const approvalResult = await api(admin, 'PUT', `${CSR_PATH}/pending-2/approval`, viaApproval);
    assert.equal(approvalResult.status, 200, approvalResult.text);
    assert.equal(approvalResult.body.status.conditions[0].type, 'Approved');
    assert.equal(
      approvalResult.body.status.certificate,
      undefined,
      'the certificate is kept from the stored object',
    );

    const notACert = (await api(admin, 'GET', `${CSR_PATH}/pending-1`)).body;
    notACert.status = {
      certificate: Buffer.from('-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n').toString(
        'base64',
      ),
    };
    const badCert = await api(admin, 'PUT', `${CSR_PATH}/pending-1/status`, notACert);
    assert.equal(badCert.status, 422);
    assert.match(
      badCert.body.message,
      /status.certificate: Invalid value: .*only CERTIFICATE PEM blocks are allowed/,
    );
  });

  it('merge and JSON patches, with the spec immutable through the main resource', async () => {
    const merge = await api(
      admin,
      'PATCH',
      `${CSR_PATH}/page-1`,
      { metadata: { labels: { extra: 'yes' } }, spec: { signerName: 'x.io/y' } },
      {
        'Content-Type': 'application/merge-patch+json',
      },
    );
    assert.equal(merge.status, 200, merge.text);
    assert.deepEqual(merge.body.metadata.labels, { batch: 'page', extra: 'yes' });
    assert.equal(merge.body.spec.signerName, 'kubernetes.io/kube-apiserver-client');
    const json = await api(
      admin,
      'PATCH',
      `${CSR_PATH}/page-1`,
      [{ op: 'remove', path: '/metadata/labels/extra' }],
      {
        'Content-Type': 'application/json-patch+json',
      },
    );
    assert.deepEqual(json.body.metadata.labels, { batch: 'page' });
    const stale = await api(
      admin,
      'PATCH',
      `${CSR_PATH}/page-1`,
      { metadata: { resourceVersion: '1', labels: { a: 'b' } } },
      {
        'Content-Type': 'application/merge-patch+json',
      },
    );
    assert.equal(stale.status, 409);
    const approvalPatch = await api(
      admin,
      'PATCH',
      `${CSR_PATH}/page-2/approval`,
      { status: { conditions: [{ type: 'Denied', status: 'True', reason: 'Patched', message: 'no' }] } },
      { 'Content-Type': 'application/merge-patch+json' },
    );
    assert.equal(approvalPatch.status, 200, approvalPatch.text);
    assert.equal(approvalPatch.body.status.conditions[0].type, 'Denied');
  });

  it('RBAC denials are 403 Status objects naming the permission', async () => {
    const r = await api(viewer, 'DELETE', `${CSR_PATH}/page-3`);
    assert.equal(r.status, 403);
    assert.deepEqual([r.body.reason, r.body.code], ['Forbidden', 403]);
    assert.equal(
      r.body.message,
      'certificatesigningrequests.certificates.k8s.io "page-3" is forbidden: User "kubecerts-viewer" cannot delete resource "certificatesigningrequests" in API group "certificates.k8s.io" at the cluster scope',
    );
    const node = await credentials(cluster.kubeconfig('node-1.conf'));
    const list = await api(node, 'GET', '/apis/certificates.k8s.io/v1/certificatesigningrequests');
    assert.equal(list.status, 200);
    assert.ok(
      list.body.items.every((i: { spec: { username: string } }) => i.spec.username === 'system:node:node-1'),
    );
  });

  it('self reviews: access review and whoami', async () => {
    const review = (user: Creds, verb: string, subresource?: string) =>
      api(user, 'POST', '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews', {
        kind: 'SelfSubjectAccessReview',
        apiVersion: 'authorization.k8s.io/v1',
        spec: {
          resourceAttributes: {
            group: 'certificates.k8s.io',
            resource: 'certificatesigningrequests',
            verb,
            subresource,
          },
        },
      });
    assert.equal((await review(viewer, 'list')).body.status.allowed, true);
    assert.equal((await review(viewer, 'update', 'approval')).body.status.allowed, false);
    assert.equal((await review(admin, 'update', 'approval')).body.status.allowed, true);
    const whoami = await api(viewer, 'POST', '/apis/authentication.k8s.io/v1/selfsubjectreviews', {
      kind: 'SelfSubjectReview',
      apiVersion: 'authentication.k8s.io/v1',
    });
    assert.equal(whoami.body.status.userInfo.username, 'kubecerts-viewer');
  });

  it('garbage collection deletes decided CSRs after their age', async () => {
    const now = Date.now();
    const deleted = await cluster.collectGarbage({
      approvedAfterMs: 0,
      deniedAfterMs: 0,
      failedAfterMs: 0,
      pendingAfterMs: 3600_000,
    });
    assert.ok(deleted.includes('long-1'));
    assert.ok(deleted.includes('page-2'));
    assert.ok(!deleted.includes('page-1'));
    assert.equal((await api(admin, 'GET', `${CSR_PATH}/long-1`)).status, 404);
    assert.ok(Date.now() - now < 5000);
  });
});
