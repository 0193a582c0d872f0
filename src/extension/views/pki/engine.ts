// The PKI view's scanning engine (certificate decoding, yaml for static Pod manifests) and its
// served-certificate check (TLS handshakes): part of dist/engine.js (LAZY_CHUNKS in esbuild.js),
// loaded once the view is first shown unless the workspace audit loaded it first.
export { PkiScanner } from '../../../core/pki/scanner';
export { servedEndpoints, servedRows, withServed } from '../../../core/pki/served';
export { componentsToRestart, observeEndpoints } from '../../../node/probe/pkiServed';
