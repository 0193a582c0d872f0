// The kubeconfig audit: structural problems from the parser, credentials in plain text,
// references, and every certificate behind the effective values (data wins over path).
import { type FindingCode, RELATED_MESSAGES } from '../findings/catalog';
import {
  certificateRef,
  makeFinding,
  type Finding,
  type RelatedLocation,
  type Span,
} from '../findings/finding';
import {
  DIRECTORY,
  materialOf,
  MATERIAL_FIELDS,
  type FileContents,
  type Material,
  type MaterialRole,
} from '../kubeconfig/material';
import type { ClusterEntry, ContextEntry, Field, KubeconfigModel, UserEntry } from '../kubeconfig/model';
import { verifyChain } from '../x509/chain';
import { keyMatchesCertificate, type PrivateKeyHandle } from '../x509/keys';
import type { Certificate } from '../x509/model';
import { chainReport } from '../verdict/chainVerdict';
import {
  caBundleFindings,
  certificateFindings,
  DEFAULT_WARN_DAYS,
  expiredInWorkingBundle,
  verdictFindings,
  type CheckContext,
} from './checks';
import type { CertificateReport } from './report';

export interface KubeconfigAuditOptions {
  readonly now: Date;
  /** Threshold of cert-expiring, in days (default 30). */
  readonly warnDays?: number;
  /** Finding codes to leave out. */
  readonly disabled?: Iterable<string>;
  /** Contents of the files that path fields reference (see `referencedFiles`); unread paths are not checked. */
  readonly files?: FileContents;
  /** More trust anchors for client certificates, e.g. the CAs of the kubeadm PKI directory next to the kubeconfig. */
  readonly extraAnchors?: readonly Certificate[];
}

export interface KeyReport {
  readonly algorithm: string;
  readonly bits?: number;
  readonly curve?: string;
  readonly format: string;
  /** Undefined when the user has no decodable client certificate. */
  readonly matchesCertificate?: boolean;
}

export interface EntryAnalysis {
  readonly findings: Finding[];
  readonly certificates: CertificateReport[];
  readonly key?: KeyReport;
}

export interface KubeconfigAudit {
  readonly findings: Finding[];
  readonly certificates: CertificateReport[];
}

const BOOTSTRAP_TOKEN = /^([a-z0-9]{6})\.[a-z0-9]{16}$/;
const PLACEHOLDERS = new Set(['DATA+OMITTED', 'REDACTED']);

function checkContext(options: KubeconfigAuditOptions): CheckContext {
  const disabled = new Set(options.disabled ?? []);
  return {
    now: options.now,
    warnDays: options.warnDays ?? DEFAULT_WARN_DAYS,
    enabled: (code) => !disabled.has(code),
  };
}

interface Scope {
  readonly file: string;
  readonly cluster?: string;
  readonly user?: string;
  readonly context?: string;
}

function scopeOf(entry: ClusterEntry | UserEntry | ContextEntry): Scope {
  return { file: entry.file, [entry.kind]: entry.name };
}

function at(scope: Scope, span: Span): Scope & { span: Span } {
  return { ...scope, span };
}

function placeholderOf(value: string): string | undefined {
  const trimmed = value.trim();
  return PLACEHOLDERS.has(trimmed) ? trimmed : undefined;
}

/** Findings about how a material decodes: missing file, placeholder, bad base64 or PEM. */
function materialFindings(material: Material, scope: Scope, ctx: CheckContext): Finding[] {
  const place = at(scope, material.field.span);
  const field = material.field.key;
  const out: Finding[] = [];
  const add = (code: FindingCode, params: Record<string, string | number>): void => {
    if (ctx.enabled(code)) out.push(makeFinding(code, place, params));
  };
  if (material.missing) {
    add('file-not-found', { path: material.path ?? material.field.value, field });
    return out;
  }
  if (material.directory) {
    add('path-is-directory', { path: material.path ?? material.field.value, field });
    return out;
  }
  const decoded = material.decoded;
  if (!decoded) return out;
  const kinds = new Set(decoded.problems.map((p) => p.kind));
  if (kinds.has('redacted-data')) {
    add('redacted-data', { field, placeholder: placeholderOf(material.field.value) ?? 'REDACTED' });
    return out;
  }
  const base64 = decoded.problems.find((p) => p.kind === 'invalid-base64');
  if (base64) {
    add('invalid-base64', { field, reason: base64.message });
    return out;
  }
  // A key Go cannot load is neither matched nor clean: kubectl fails on it.
  const unsupported = decoded.problems.find((p) => p.kind === 'unsupported-key');
  if (unsupported && material.role === 'client-key' && decoded.privateKeys.length === 0) {
    add('unsupported-key', { field, reason: unsupported.message });
    return out;
  }
  const wanted = material.role === 'client-key' ? decoded.privateKeys.length : decoded.certificates.length;
  if (wanted === 0 || kinds.has('invalid-pem') || kinds.has('invalid-der') || kinds.has('empty'))
    add('invalid-pem', { field });
  return out;
}

function certificatesOf(material: Material | undefined): Certificate[] {
  return material?.decoded?.certificates.map((d) => d.cert) ?? [];
}

function materialReports(material: Material, scope: Scope): CertificateReport[] {
  return (material.decoded?.certificates ?? []).map((d) => ({
    file: scope.file,
    span: material.field.span,
    ...(material.path !== undefined ? { origin: material.path } : {}),
    field: material.field.key,
    ...(scope.cluster !== undefined ? { cluster: scope.cluster } : {}),
    ...(scope.user !== undefined ? { user: scope.user } : {}),
    index: d.index,
    certificate: d.cert,
    chains: [],
  }));
}

function dataAndPathFindings(
  entry: ClusterEntry | UserEntry,
  roles: readonly MaterialRole[],
  ctx: CheckContext,
): Finding[] {
  if (!ctx.enabled('data-and-path')) return [];
  const fields = entry.fields as Record<string, Field<string> | undefined>;
  const out: Finding[] = [];
  for (const role of roles) {
    const names = MATERIAL_FIELDS[role];
    const data = fields[names.data];
    const path = fields[names.path];
    if (!data || data.value === '' || !path || path.value === '') continue;
    const related: RelatedLocation[] = [
      {
        file: entry.file,
        span: data.span,
        message: RELATED_MESSAGES.dataWins,
        params: { dataField: names.data },
      },
    ];
    out.push(
      makeFinding(
        'data-and-path',
        at(scopeOf(entry), path.span),
        { dataField: names.data, pathField: names.path },
        { related },
      ),
    );
  }
  return out;
}

function analyzeCluster(
  cluster: ClusterEntry,
  options: KubeconfigAuditOptions,
  ctx: CheckContext,
): EntryAnalysis {
  const scope = scopeOf(cluster);
  const findings: Finding[] = dataAndPathFindings(cluster, ['ca'], ctx);
  const skip = cluster.fields['insecure-skip-tls-verify'];
  if (skip?.value === true && ctx.enabled('insecure-skip-tls-verify')) {
    findings.push(makeFinding('insecure-skip-tls-verify', at(scope, skip.span), { cluster: cluster.name }));
  }
  const ca = materialOf(cluster, 'ca', options.files);
  if (!ca) return { findings, certificates: [] };
  findings.push(...materialFindings(ca, scope, ctx));
  findings.push(...caBundleFindings(certificatesOf(ca), at(scope, ca.field.span), ctx));
  return { findings, certificates: materialReports(ca, scope) };
}

function credentialFindings(user: UserEntry, ctx: CheckContext, files: FileContents | undefined): Finding[] {
  const scope = scopeOf(user);
  const out: Finding[] = [];
  const add = (code: FindingCode, span: Span, params: Record<string, string | number>): void => {
    if (ctx.enabled(code)) out.push(makeFinding(code, at(scope, span), params));
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
function ownExpiryReported(bundle: readonly Certificate[], now: Date): string[] {
  return bundle.filter((cert) => !expiredInWorkingBundle(cert, bundle, now)).map((c) => c.sha256Fingerprint);
}

/** SHA-256 fingerprints of certificates that get findings of their own: chain findings skip their dates. */
interface Audited {
  has(fingerprint: string): boolean;
  add(fingerprint: string): void;
}

function analyzeUser(
  model: KubeconfigModel,
  user: UserEntry,
  options: KubeconfigAuditOptions,
  ctx: CheckContext,
  audited: Audited,
): EntryAnalysis {
  const scope = scopeOf(user);
  const findings: Finding[] = [
    ...dataAndPathFindings(user, ['client-certificate', 'client-key'], ctx),
    ...credentialFindings(user, ctx, options.files),
  ];
  const certMaterial = materialOf(user, 'client-certificate', options.files);
  const keyMaterial = materialOf(user, 'client-key', options.files);
  if (certMaterial) findings.push(...materialFindings(certMaterial, scope, ctx));
  if (keyMaterial) findings.push(...materialFindings(keyMaterial, scope, ctx));

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
    if (matches === false && certMaterial && ctx.enabled('key-mismatch')) {
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
      findings.push(...verdictFindings(leaf, chain, { ...place, ...scopeNames }, ctx, audited, related));
    }
    return chain;
  });
  if (reports.length > 0) reports[0] = { ...reports[0], chains };
  return { findings, certificates: reports, ...(keyReport ? { key: keyReport } : {}) };
}

function referenceFindings(model: KubeconfigModel, ctx: CheckContext): Finding[] {
  const out: Finding[] = [];
  for (const doc of model.documents) {
    for (const context of doc.contexts) {
      for (const [kind, map] of [
        ['cluster', model.clusters],
        ['user', model.users],
      ] as const) {
        const ref = context.fields[kind];
        if (!ref || ref.value === '' || map.has(ref.value) || !ctx.enabled('dangling-reference')) continue;
        out.push(
          makeFinding('dangling-reference', at(scopeOf(context), ref.span), {
            context: context.name,
            kind,
            name: ref.value,
          }),
        );
      }
    }
  }
  const current = model.currentContext;
  if (current && !model.contexts.has(current.field.value) && ctx.enabled('missing-current-context')) {
    out.push(
      makeFinding(
        'missing-current-context',
        { file: current.file, span: current.field.span },
        { name: current.field.value },
      ),
    );
  }
  return out;
}

/** Findings and certificate reports of one cluster or user entry: what a hover on it needs. */
export function analyzeEntry(
  model: KubeconfigModel,
  entry: ClusterEntry | UserEntry,
  options: KubeconfigAuditOptions,
): EntryAnalysis {
  const ctx = checkContext(options);
  if (entry.kind === 'cluster') return analyzeCluster(entry, options, ctx);
  // The cluster CAs are audited with their clusters; keep their validity out of the user's chain
  // findings. Decoding every cluster's CA is what a hover must not pay for on a 1,000-cluster
  // file, so that happens only when a chain finding about a date asks.
  const own = new Set<string>();
  let clusterCas: Set<string> | undefined;
  const audited: Audited = {
    add: (fingerprint) => own.add(fingerprint),
    has: (fingerprint) => {
      if (own.has(fingerprint)) return true;
      clusterCas ??= new Set(
        [...model.clusters.values()].flatMap((cluster) =>
          ownExpiryReported(certificatesOf(materialOf(cluster, 'ca', options.files)), options.now),
        ),
      );
      return clusterCas.has(fingerprint);
    },
  };
  return analyzeUser(model, entry, options, ctx, audited);
}

/** Every finding and certificate report of a (merged) kubeconfig. */
export function analyzeKubeconfig(model: KubeconfigModel, options: KubeconfigAuditOptions): KubeconfigAudit {
  const ctx = checkContext(options);
  const findings: Finding[] = [];
  const certificates: CertificateReport[] = [];
  const audited = new Set<string>();
  for (const doc of model.documents) {
    findings.push(...doc.findings.filter((f) => ctx.enabled(f.code)));
    for (const cluster of doc.clusters) {
      const analysis = analyzeCluster(cluster, options, ctx);
      findings.push(...analysis.findings);
      certificates.push(...analysis.certificates);
      for (const print of ownExpiryReported(
        analysis.certificates.map((r) => r.certificate),
        options.now,
      ))
        audited.add(print);
    }
  }
  for (const doc of model.documents) {
    for (const user of doc.users) {
      const analysis = analyzeUser(model, user, options, ctx, audited);
      findings.push(...analysis.findings);
      certificates.push(...analysis.certificates);
    }
  }
  findings.push(...referenceFindings(model, ctx));
  return { findings, certificates };
}

export function auditKubeconfig(model: KubeconfigModel, options: KubeconfigAuditOptions): Finding[] {
  return analyzeKubeconfig(model, options).findings;
}
