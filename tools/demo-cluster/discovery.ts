// Discovery documents: what kubectl reads to map `csr` to certificatesigningrequests.certificates.k8s.io/v1.
// kubectl 1.32 asks for aggregated discovery first and falls back to these legacy documents.
import { OBJECT_RESOURCES } from './resources';

export interface ApiResource {
  readonly name: string;
  readonly singularName: string;
  readonly kind: string;
  readonly namespaced: boolean;
  readonly verbs: readonly string[];
  readonly shortNames?: readonly string[];
  readonly categories?: readonly string[];
}

export interface GroupVersion {
  /** '' for the core group. */
  readonly group: string;
  readonly version: string;
  readonly resources: readonly ApiResource[];
}

const CSR_VERBS = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];

const FIXED_APIS: readonly GroupVersion[] = [
  {
    group: '',
    version: 'v1',
    resources: [
      {
        name: 'nodes',
        singularName: 'node',
        kind: 'Node',
        namespaced: false,
        verbs: ['get', 'list', 'watch'],
        shortNames: ['no'],
      },
      {
        name: 'events',
        singularName: 'event',
        kind: 'Event',
        namespaced: true,
        verbs: ['list'],
        shortNames: ['ev'],
      },
    ],
  },
  {
    group: 'certificates.k8s.io',
    version: 'v1',
    resources: [
      {
        name: 'certificatesigningrequests',
        singularName: 'certificatesigningrequest',
        kind: 'CertificateSigningRequest',
        namespaced: false,
        verbs: CSR_VERBS,
        shortNames: ['csr'],
      },
      {
        name: 'certificatesigningrequests/approval',
        singularName: '',
        kind: 'CertificateSigningRequest',
        namespaced: false,
        verbs: ['get', 'patch', 'update'],
      },
      {
        name: 'certificatesigningrequests/status',
        singularName: '',
        kind: 'CertificateSigningRequest',
        namespaced: false,
        verbs: ['get', 'patch', 'update'],
      },
    ],
  },
  {
    group: 'authorization.k8s.io',
    version: 'v1',
    resources: [
      {
        name: 'selfsubjectaccessreviews',
        singularName: 'selfsubjectaccessreview',
        kind: 'SelfSubjectAccessReview',
        namespaced: false,
        verbs: ['create'],
      },
      {
        name: 'selfsubjectrulesreviews',
        singularName: 'selfsubjectrulesreview',
        kind: 'SelfSubjectRulesReview',
        namespaced: false,
        verbs: ['create'],
      },
    ],
  },
  {
    group: 'authentication.k8s.io',
    version: 'v1',
    resources: [
      {
        name: 'selfsubjectreviews',
        singularName: 'selfsubjectreview',
        kind: 'SelfSubjectReview',
        namespaced: false,
        verbs: ['create'],
      },
    ],
  },
];

/** The fixed groups plus every stored resource of resources.ts (and its /status). */
export const SERVED_APIS: readonly GroupVersion[] = (() => {
  const groups = FIXED_APIS.map((gv) => ({ ...gv, resources: [...gv.resources] }));
  for (const def of OBJECT_RESOURCES) {
    let gv = groups.find((g) => g.group === def.ref.group && g.version === def.version);
    if (!gv) {
      gv = { group: def.ref.group, version: def.version, resources: [] };
      groups.push(gv);
    }
    gv.resources.push({
      name: def.ref.resource,
      singularName: def.singularName,
      kind: def.ref.kind,
      namespaced: def.namespaced,
      verbs: def.verbs,
      ...(def.shortNames ? { shortNames: def.shortNames } : {}),
      ...(def.categories ? { categories: def.categories } : {}),
    });
    if (def.statusSubresource) {
      gv.resources.push({
        name: `${def.ref.resource}/status`,
        singularName: '',
        kind: def.ref.kind,
        namespaced: def.namespaced,
        verbs: ['get', 'patch', 'update'],
      });
    }
  }
  return groups;
})();

export const SERVER_VERSION = {
  major: '1',
  minor: '32',
  gitVersion: 'v1.32.4+kubecerts-demo',
  gitCommit: '0000000000000000000000000000000000000000',
  gitTreeState: 'clean',
  buildDate: '2025-04-22T00:00:00Z',
  goVersion: 'go1.23.8',
  compiler: 'gc',
  platform: 'linux/amd64',
};

const groupVersion = (gv: GroupVersion): string => (gv.group ? `${gv.group}/${gv.version}` : gv.version);

/** The discovery document for a path, or undefined when the path is not a discovery path. */
export function discoveryDocument(path: string, serverAddress: string): unknown {
  if (path === '/api') {
    return {
      kind: 'APIVersions',
      versions: ['v1'],
      serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }],
    };
  }
  if (path === '/apis') {
    return {
      kind: 'APIGroupList',
      apiVersion: 'v1',
      groups: SERVED_APIS.filter((gv) => gv.group).map(groupDocument),
    };
  }
  for (const gv of SERVED_APIS) {
    if (gv.group && path === `/apis/${gv.group}`)
      return { kind: 'APIGroup', apiVersion: 'v1', ...groupDocument(gv) };
    if (path === (gv.group ? `/apis/${groupVersion(gv)}` : '/api/v1')) {
      return {
        kind: 'APIResourceList',
        apiVersion: 'v1',
        groupVersion: groupVersion(gv),
        resources: gv.resources.map((r) => ({ ...r })),
      };
    }
  }
  return undefined;
}

function groupDocument(gv: GroupVersion) {
  const version = { groupVersion: groupVersion(gv), version: gv.version };
  return { name: gv.group, versions: [version], preferredVersion: version };
}
