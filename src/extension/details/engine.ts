// What the certificates of any document and the details command need: manifests (yaml), PEM and
// base64 decoding, the certificate checks, the openssl-style text. Part of dist/engine.js
// (LAZY_CHUNKS in esbuild.js), loaded by the first CodeLens, hover or details request unless the
// workspace audit loaded it first. Results cross the seam as plain data, never tested by instanceof.
export { analyzeCertificateText } from '../../core/manifest/certificates';
export { certificateTextKind, fieldLabel } from '../../core/manifest/sites';
export { decodeBase64Data, decodePemText } from '../../core/x509/decode';
export { toPem } from '../../core/x509/pem';
export { detailsText } from './detailsText';
