// The PKI view's scanning engine (certificate decoding, yaml for static Pod manifests): its own
// bundle, dist/pki.js (LAZY_CHUNKS in esbuild.js), loaded once the view is first shown.
export { PkiScanner } from '../../../core/pki/scanner';
