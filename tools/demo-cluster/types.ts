// The API objects the demo cluster serves, in their JSON wire form (certificates.k8s.io/v1, core/v1).

export interface ObjectMeta {
  name: string;
  namespace?: string;
  generateName?: string;
  uid: string;
  resourceVersion: string;
  creationTimestamp: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  [field: string]: unknown;
}

export type CsrConditionType = 'Approved' | 'Denied' | 'Failed';

export interface CsrCondition {
  type: CsrConditionType | string;
  status: 'True' | 'False' | 'Unknown' | string;
  reason?: string;
  message?: string;
  lastUpdateTime?: string;
  lastTransitionTime?: string;
}

export interface CsrSpec {
  /** base64 of the PEM PKCS#10 request. */
  request: string;
  signerName: string;
  usages: string[];
  expirationSeconds?: number;
  username?: string;
  uid?: string;
  groups?: string[];
  extra?: Record<string, string[]>;
}

export interface CsrStatus {
  conditions?: CsrCondition[];
  /** base64 of the issued PEM chain. */
  certificate?: string;
}

export interface Csr {
  apiVersion: 'certificates.k8s.io/v1';
  kind: 'CertificateSigningRequest';
  metadata: ObjectMeta;
  spec: CsrSpec;
  status: CsrStatus;
}

export interface NodeAddress {
  type: 'InternalIP' | 'ExternalIP' | 'Hostname' | 'InternalDNS' | 'ExternalDNS';
  address: string;
}

export interface KubeNode {
  apiVersion: 'v1';
  kind: 'Node';
  metadata: ObjectMeta;
  spec: Record<string, unknown>;
  status: {
    addresses: NodeAddress[];
    conditions: {
      type: string;
      status: string;
      reason: string;
      message: string;
      lastHeartbeatTime: string;
      lastTransitionTime: string;
    }[];
    nodeInfo: {
      kubeletVersion: string;
      osImage: string;
      architecture: string;
      operatingSystem: string;
      containerRuntimeVersion: string;
    };
  };
}

/** Who is calling, as authentication established it. */
export interface UserInfo {
  readonly name: string;
  readonly uid?: string;
  readonly groups: readonly string[];
  readonly extra?: Readonly<Record<string, readonly string[]>>;
}

/** Any stored object of the generic resources (Secrets, ConfigMaps, webhooks, …), in its JSON form. */
export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: ObjectMeta;
  [field: string]: unknown;
}
