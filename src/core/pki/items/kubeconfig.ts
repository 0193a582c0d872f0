// A kubeconfig row: the client certificate of its current context (embedded, or a file it names,
// possibly outside the folder), checked against the cluster CA of the folder or else its own CA data.
import { certificateFindings } from '../../audit/checks';
import type { Certificate } from '../../x509/model';
import type { KubeconfigContent } from '../content';
import { dateState, finishItem, itemState, type PkiItem } from '../item';
import { displayName } from '../layout';
import { pkiReason } from '../reasons';
import type { ResolvedFile } from '../wiring';
import {
  FILE_START,
  misSignedFindings,
  missingItem,
  type Anchor,
  type Builder,
  type ItemBase,
} from './builder';
import type { CaCertificate } from './cert';

export interface KubeconfigItemOptions {
  readonly path: string;
  /** The folder's cluster CA: kubeadm's kubeconfigs come from it. */
  readonly clusterCa?: CaCertificate;
  readonly catalog: boolean;
  readonly rotatedByKubelet: boolean;
  readonly longName?: string;
  /** Absent on healthy clusters too (super-admin.conf): shown, no finding. */
  readonly optional?: boolean;
}

export function kubeconfigItem(b: Builder, options: KubeconfigItemOptions): PkiItem {
  const { path, clusterCa, catalog } = options;
  const file = b.input.files.get(path);
  b.claimed.add(path);
  const absolutePath = file?.stat.absolutePath ?? b.input.absolutePath(path);
  const base: ItemBase = {
    id: `kubeconfig:${path}`,
    kind: 'kubeconfig',
    name: catalog ? path : displayName(path),
    longName: options.longName,
    catalog,
    path,
    absolutePath,
    caId: clusterCa?.item.id,
    caName: clusterCa?.item.name,
    rotatedByKubelet: options.rotatedByKubelet,
  };
  const externallyManaged = clusterCa?.item.externallyManaged ?? false;
  if (!file || file.content.kind !== 'kubeconfig') {
    return missingItem(base, {
      files: [absolutePath],
      reported: options.optional ? [] : [absolutePath],
      reason: pkiReason('kubeconfig-missing'),
      externallyManaged,
    });
  }
  const content: KubeconfigContent = file.content;
  const { cert, reference } = clientCertificate(b, content);
  if (!cert) {
    if (reference?.status === 'missing') {
      return missingItem(base, {
        files: [reference.absolutePath],
        reported: [],
        reason: pkiReason('client-certificate-not-found', { path: reference.absolutePath }),
        externallyManaged,
      });
    }
    return finishItem({
      ...base,
      state: 'invalid',
      externallyManaged,
      reason: content.client.problems[0] ?? pkiReason('no-client-certificate'),
      missingFiles: [],
      findings: [],
    });
  }
  const userFields = content.document.users.find((u) => u.name === content.client.user)?.fields;
  const where = {
    file: absolutePath,
    span:
      userFields?.['client-certificate-data']?.span ?? userFields?.['client-certificate']?.span ?? FILE_START,
    ...(content.client.user !== undefined ? { user: content.client.user } : {}),
  };
  const findings = certificateFindings(cert, { ...where, role: 'client' }, b.ctx);
  const anchor = anchorFor(clusterCa, content, absolutePath);
  const misSigned = anchor ? misSignedFindings(b, cert, anchor, where) : undefined;
  if (misSigned) findings.push(...misSigned);
  const checkedWith = anchor && { name: anchor.name, path: anchor.path };
  return finishItem({
    ...base,
    state: itemState({
      dates: dateState(cert, b.ctx.now, b.ctx.warnDays),
      misSigned: misSigned !== undefined,
    }),
    externallyManaged,
    checkedWith,
    reason: misSigned && anchor ? pkiReason('not-verified', { ca: anchor.name }) : undefined,
    certificate: cert,
    missingFiles: [],
    findings,
  });
}

/** kubeadm's kubeconfigs come from the cluster CA; otherwise the kubeconfig's own CA is the reference. */
function anchorFor(
  clusterCa: CaCertificate | undefined,
  content: KubeconfigContent,
  absolutePath: string,
): Anchor | undefined {
  if (clusterCa)
    return { name: clusterCa.item.name, path: clusterCa.item.absolutePath, cert: clusterCa.cert };
  const own = content.client.clusterCas[0];
  return own
    ? { name: `${content.client.cluster ?? ''} (certificate-authority-data)`, path: absolutePath, cert: own }
    : undefined;
}

function clientCertificate(
  b: Builder,
  content: KubeconfigContent,
): { cert?: Certificate; reference?: ResolvedFile } {
  if (content.client.certificate) return { cert: content.client.certificate };
  const ref = content.client.certificatePath;
  if (!ref) return {};
  const reference = b.resolve(ref.resolved);
  if (reference.status === 'present') return { cert: reference.pem?.certificates[0], reference };
  if (reference.status === 'outside') {
    const external = b.input.external.get(ref.resolved);
    return external
      ? {
          cert: external.certificates[0],
          reference: { status: 'present', absolutePath: ref.resolved, pem: external },
        }
      : { reference: { status: 'missing', absolutePath: ref.resolved } };
  }
  return { reference };
}
