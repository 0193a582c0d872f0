// What one context's API server was read to hold (src/node/cluster/clusterObjects.ts fills it): the
// objects with certificate fields, the lists that could not be read, and the CA the kubeconfig
// trusts for the cluster. The inventory's input; nothing here is judged.
import type { Certificate } from '../x509/model';
import type { ClusterObject } from './objects';

/** A list the user could not read (RBAC, an API not served, a timeout). */
export interface AccessProblem {
  /** Plural resource (`secrets`), with its group for RBAC (`apiservices.apiregistration.k8s.io`). */
  readonly resource: string;
  readonly verb: string;
  /** The namespace listed; undefined: all namespaces or a cluster-scoped resource. */
  readonly namespace?: string;
  readonly forbidden: boolean;
  /** What went wrong, as the cluster client words it (redacted, no credentials). */
  readonly message: string;
  /** The RBAC permissions lacking, in `kubectl auth can-i` terms. */
  readonly missingPermissions: readonly string[];
  /** A forbidden list across all namespaces: the namespaces read one by one instead. */
  readonly readIn?: readonly string[];
}

/** The CA the user's kubeconfig trusts for this context's cluster. */
export interface KubeconfigCa {
  readonly cluster: string;
  /** The kubeconfig file defining the cluster entry. */
  readonly file: string;
  readonly certificates: readonly Certificate[];
}

/** Everything read from one context: the inventory's input. */
export interface ClusterSnapshot {
  readonly context: string;
  readonly cluster?: string;
  readonly objects: readonly ClusterObject[];
  readonly access: readonly AccessProblem[];
  /** Secrets were not listed: the user did not allow it. */
  readonly secretsSkipped?: boolean;
  /** Namespaces the namespaced resources were read in; undefined: all. */
  readonly namespaces?: readonly string[];
  readonly kubeconfigCa?: KubeconfigCa;
}
