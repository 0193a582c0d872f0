// A kubeconfig user: its credentials, its client certificate and key, and the clusters of the
// contexts that name it, whose CAs its certificate is checked against.
import { type FindingCode, RELATED_MESSAGES } from '../findings/catalog';
import {
  certificateRef,
  makeFinding,
  type Finding,
  type RelatedLocation,
  type Span,
} from '../findings/finding';
import { DIRECTORY, materialOf, type FileContents } from '../kubeconfig/material';
import type { ClusterEntry, ContextEntry, Field, KubeconfigModel, UserEntry } from '../kubeconfig/model';
import { verifyChain } from '../x509/chain';
import { keyMatchesCertificate, type PrivateKeyHandle } from '../x509/keys';
import type { Certificate } from '../x509/model';
import { chainReport } from '../verdict/chainVerdict';
import { certificateFindings, expiredInWorkingBundle, verdictFindings, type CheckContext } from './checks';
import type { EntryAnalysis, KeyReport, KubeconfigAuditOptions } from './kubeconfig';
import {
  at,
  certificatesOf,
  dataAndPathFindings,
  materialFindings,
  materialReports,
  placeholderOf,
  scopeOf,
} from './kubeconfigMaterial';

const BOOTSTRAP_TOKEN = /^([a-z0-9]{6})\.[a-z0-9]{16}$/;

function credentialFindings(user: UserEntry, files: FileContents | undefined): Finding[] {
  const scope = scopeOf(user);
  const out: Finding[] = [];
  const add = (code: FindingCode, span: Span, params: Record<string, string | number>): void => {
    out.push(makeFinding(code, at(scope, span), params));
  };
  const { token, password, exec, tokenFile } = user.fields;
  if (token && token.value !== '') {
    const bootstrap = BOOTSTRAP_TOKEN.exec(token.value);
    if (placeholderOf(token.value))
      add('redacted-data', token.span, {
        field: 'token',
        placeholder: placeholderOf(token.value) ?? 'REDACTED',
      });
    else if (bootstrap) add('bootstrap-token', token.span, { user: user.name, tokenId: bootstrap[1] });
    else add('plaintext-token', token.span, { user: user.name });
  }
  if (password && password.value !== '') {
    if (placeholderOf(password.value))
      add('redacted-data', password.span, {
        field: 'password',
        placeholder: placeholderOf(password.value) ?? 'REDACTED',
      });
    else add('plaintext-password', password.span, { user: user.name });
  }
  if (exec) add('exec-plugin', exec.keySpan, { user: user.name, command: exec.value.command ?? '?' });
  // tokenFile is only checked for existence: its content is a secret the audit never needs.
  if (
    tokenFile?.resolvedPath !== undefined &&
    tokenFile.value !== '' &&
    files?.get(tokenFile.resolvedPath) === null
  ) {
    add('file-not-found', tokenFile.span, { path: tokenFile.resolvedPath, field: 'tokenFile' });
  }
  if (tokenFile?.resolvedPath !== undefined && files?.get(tokenFile.resolvedPath) === DIRECTORY) {
    add('path-is-directory', tokenFile.span, { path: tokenFile.resolvedPath, field: 'tokenFile' });
  }
  return out;
}

/** The contexts naming each user, indexed once per model. */
const contextsByUser = new WeakMap<KubeconfigModel, Map<string, ContextEntry[]>>();

function contextsOf(model: KubeconfigModel, user: string): readonly ContextEntry[] {
  let index = contextsByUser.get(model);
  if (!index) {
    index = new Map();
    for (const context of model.contexts.values()) {
      const name = context.fields.user?.value;
      if (name === undefined) continue;
      const list = index.get(name);
      if (list) list.push(context);
      else index.set(name, [context]);
    }
    contextsByUser.set(model, index);
  }
  return index.get(user) ?? [];
}

interface Pairing {
  readonly context?: ContextEntry;
  readonly cluster?: ClusterEntry;
  readonly caField?: Field<string>;
  readonly anchors: readonly Certificate[];
}

/** The CA sets a user's client certificate is checked against: one per distinct cluster CA, then the extra anchors alone when no cluster has a CA. */
function pairingsOf(model: KubeconfigModel, user: UserEntry, options: KubeconfigAuditOptions): Pairing[] {
  const extra = options.extraAnchors ?? [];
  const seen = new Set<string>();
  const pairings: Pairing[] = [];
  for (const context of contextsOf(model, user.name)) {
    const clusterName = context.fields.cluster?.value;
    const cluster = clusterName !== undefined ? model.clusters.get(clusterName) : undefined;
    if (!cluster) continue;
    const ca = materialOf(cluster, 'ca', options.files);
    const caCerts = certificatesOf(ca);
    if (caCerts.length === 0) continue;
    const anchors = [...caCerts, ...extra];
    const key = anchors.map((c) => c.sha256Fingerprint).join(',');
    if (seen.has(key)) continue;
    seen.add(key);
    pairings.push({ context, cluster, caField: ca?.field, anchors });
  }
  if (pairings.length === 0 && extra.length > 0) pairings.push({ anchors: extra });
  return pairings;
}

/**
 * Fingerprints of the CAs of a cluster's bundle whose dates are errors of their own. An expired CA
 * of a bundle that still works is only a warning there, so a user's chain that needs it must say
 * `cert-expired` itself.
 */
export function ownExpiryReported(bundle: readonly Certificate[], now: Date): string[] {
  return bundle.filter((cert) => !expiredInWorkingBundle(cert, bundle, now)).map((c) => c.sha256Fingerprint);
}

/** SHA-256 fingerprints of certificates that get findings of their own: chain findings skip their dates. */
export interface Audited {
  has(fingerprint: string): boolean;
  add(fingerprint: string): void;
}

export function analyzeUser(
  model: KubeconfigModel,
  user: UserEntry,
  options: KubeconfigAuditOptions,
  ctx: CheckContext,
  audited: Audited,
): EntryAnalysis {
  const scope = scopeOf(user);
  const findings: Finding[] = [
    ...dataAndPathFindings(user, ['client-certificate', 'client-key']),
    ...credentialFindings(user, options.files),
  ];
  const certMaterial = materialOf(user, 'client-certificate', options.files);
  const keyMaterial = materialOf(user, 'client-key', options.files);
  if (certMaterial) findings.push(...materialFindings(certMaterial, scope));
  if (keyMaterial) findings.push(...materialFindings(keyMaterial, scope));

  const certs = certificatesOf(certMaterial);
  const key: PrivateKeyHandle | undefined = keyMaterial?.decoded?.privateKeys[0];
  const leaf = certs[0];
  let keyReport: KeyReport | undefined;
  if (key) {
    const matches = leaf ? keyMatchesCertificate(key, leaf) : undefined;
    keyReport = {
      algorithm: key.algorithm,
      ...(key.bits !== undefined ? { bits: key.bits } : {}),
      ...(key.curve !== undefined ? { curve: key.curve } : {}),
      format: key.format,
      ...(matches !== undefined ? { matchesCertificate: matches } : {}),
    };
    if (matches === false && certMaterial) {
      const related: RelatedLocation[] = [
        {
          file: user.file,
          span: keyMaterial!.field.span,
          message: RELATED_MESSAGES.clientKey,
          params: { user: user.name },
        },
      ];
      findings.push(
        makeFinding(
          'key-mismatch',
          at(scope, certMaterial.field.span),
          { user: user.name, subject: leaf.subject.display },
          { related, certificate: certificateRef(leaf) },
        ),
      );
    }
  }
  if (!certMaterial || !leaf) return { findings, certificates: [], ...(keyReport ? { key: keyReport } : {}) };

  const place = at(scope, certMaterial.field.span);
  certs.forEach((cert, i) => {
    audited.add(cert.sha256Fingerprint);
    findings.push(...certificateFindings(cert, { ...place, role: i === 0 ? 'client' : 'ca' }, ctx));
  });
  const reports = materialReports(certMaterial, scope);
  const chains = pairingsOf(model, user, options).map((pairing) => {
    const clusterCas = new Set(pairing.anchors.filter((a) => !(options.extraAnchors ?? []).includes(a)));
    const scopeNames = {
      ...(pairing.context ? { context: pairing.context.name } : {}),
      ...(pairing.cluster ? { cluster: pairing.cluster.name } : {}),
    };
    const chain = chainReport(
      // kube-apiserver verifies client certificates for client authentication (EKUs nest).
      verifyChain(leaf, { anchors: pairing.anchors, intermediates: certs.slice(1) }, options.now, {
        usage: 'clientAuth',
      }),
      pairing.anchors,
      (anchor) => (clusterCas.has(anchor) ? 'cluster-ca' : 'extra-anchor'),
      options.now,
      scopeNames,
    );
    if (!chain.verified) {
      const related: RelatedLocation[] =
        pairing.cluster && pairing.caField
          ? [
              {
                file: pairing.cluster.file,
                span: pairing.caField.span,
                message: RELATED_MESSAGES.caChecked,
                params: { ca: pairing.anchors[0].subject.display, cluster: pairing.cluster.name },
              },
            ]
          : [];
      findings.push(...verdictFindings(leaf, chain, { ...place, ...scopeNames }, audited, related));
    }
    return chain;
  });
  if (reports.length > 0) reports[0] = { ...reports[0], chains };
  return { findings, certificates: reports, ...(keyReport ? { key: keyReport } : {}) };
}
