// The PKI view's scanning engine (certificate decoding, yaml for static Pod manifests) and its
// served-certificate check (TLS handshakes): its own bundle, dist/pki.js (LAZY_CHUNKS in
// esbuild.js), loaded once the view is first shown.
export { PkiScanner } from '../../../core/pki/scanner';
export { servedEndpoints, servedRows, withServed } from '../../../core/pki/served';
export { componentsToRestart, observeEndpoints } from '../../../node/probe/pkiServed';
