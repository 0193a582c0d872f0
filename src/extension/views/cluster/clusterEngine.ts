// The Cluster Certificates view's engine (the cluster client and its kubeconfig loading, list and
// watch, certificate decoding and checks, yaml for the redacted document): in dist/cluster.js
// (LAZY_CHUNKS in esbuild.js), loaded with the view's first connection. Errors crossing this seam
// are told apart by name and kind, not instanceof (the chunk has its own copy of ClusterError).
export { buildClusterInventory } from '../../../core/cluster/inventory';
export { connectCluster } from '../../../node/cluster/client';
export { ClusterWatcher } from '../../../node/cluster/clusterWatch';
export { readKubeconfigs } from '../../../node/cluster/kubeconfig';
export { readRedactedObject } from './clusterYaml';
