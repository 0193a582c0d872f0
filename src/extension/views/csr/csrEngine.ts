// The CSR view's engine: the cluster client (kubeconfig loading; @kubernetes/client-node itself is
// dist/kubernetes-client.js), the review of a request against the cluster's nodes, certificate
// decoding. It shares dist/cluster.js with the Cluster view's engine (LAZY_CHUNKS in esbuild.js),
// loaded with the view's first connection. ClusterError's Symbol.hasInstance recognises the copy
// of the class this bundle throws.
export { connectCluster } from '../../../node/cluster/client';
export { readKubeconfigs } from '../../../node/cluster/kubeconfig';
export { NodeCache, reviewInCluster } from '../../../node/cluster/review';
export { decodeBase64Data } from '../../../core/x509/decode';
