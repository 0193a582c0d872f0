// The Cluster Certificates view's engine (list and watch, certificate decoding and checks, yaml
// for the redacted document): its own bundle, dist/cluster.js (LAZY_CHUNKS in esbuild.js), loaded
// with the view's first connection. Errors crossing this seam are told apart by name and kind,
// not instanceof (the chunk has its own copy of ClusterError).
export { buildClusterInventory } from '../../../core/cluster/inventory';
export { ClusterWatcher } from '../../../node/cluster/clusterWatch';
export { readRedactedObject } from './clusterYaml';
