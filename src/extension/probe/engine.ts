// The served-certificate check of a kubeconfig's clusters (TLS handshakes, the files a kubeconfig
// names): part of dist/engine.js (LAZY_CHUNKS in esbuild.js), loaded by the first `server:` hover
// or check unless the workspace audit loaded it first. Only this engine's code uses its ProbeCache.
export { readReferencedFiles } from '../../node/fs/auditInputs';
export { probeClusters } from '../../node/probe/kubeconfig';
export { ProbeCache } from '../../node/probe/probe';
