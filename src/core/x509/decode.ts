// Turning whatever a user has (kubeconfig `*-data` values, .crt/.pem/.key files, bundles, DER) into
// certificates and key handles. Never throws: every failure becomes a problem with a message a
// user can act on, and no message ever quotes the input (it may be a private key).
import { firstElementLength } from './der';
import { CertificateParseError, parseCertificate } from './certificate';
import { KeyParseError, PRIVATE_KEY_LABELS, parsePrivateKey, type PrivateKeyHandle } from './keys';
import type { Certificate } from './model';
import { decodeBase64, findPemBlocks, quoteLabel } from './pem';

export type DecodeProblemKind = 'invalid-base64' | 'invalid-pem' | 'redacted-data' | 'invalid-der' | 'empty';

export interface DecodeProblem {
  kind: DecodeProblemKind;
  message: string;
  /**
   * Offsets in the decoded input text, when known: in the value for decodeBase64Data's
   * 'invalid-base64', in the file's text (UTF-16 code units) for decodeFileContent's PEM problems.
   */
  start?: number;
  end?: number;
}

export interface DecodedCertificate {
  cert: Certificate;
  /** 0-based position in the bundle (counting every CERTIFICATE block, even one that failed). */
  index: number;
}

export interface DecodeResult {
  certificates: DecodedCertificate[];
  privateKeys: PrivateKeyHandle[];
  problems: DecodeProblem[];
}

/** What `kubectl config view` prints instead of the data unless given --raw. */
const REDACTED_MARKERS = new Set(['DATA+OMITTED', 'REDACTED']);

const CERTIFICATE_LABELS = new Set(['CERTIFICATE', 'X509 CERTIFICATE', 'TRUSTED CERTIFICATE']);

/** Blocks that legitimately sit next to certificates and keys and that we have no use for. */
export const IGNORED_LABELS: ReadonlySet<string> = new Set([
  'PUBLIC KEY',
  'RSA PUBLIC KEY',
  'EC PARAMETERS',
  'DH PARAMETERS',
  'X509 CRL',
  'CERTIFICATE REQUEST',
  'NEW CERTIFICATE REQUEST',
]);

const UNUSABLE_KEY_LABELS: Readonly<Record<string, string>> = {
  'ENCRYPTED PRIVATE KEY':
    'the private key is encrypted (PKCS#8): kubectl cannot use an encrypted key, and it cannot be checked against the certificate',
  'OPENSSH PRIVATE KEY': 'this is an OpenSSH private key: kubectl needs a PEM key (PKCS#1, PKCS#8 or SEC1)',
};

/** A kubeconfig `*-data` value: base64 of PEM, or a `kubectl config view` placeholder. */
export function decodeBase64Data(value: string): DecodeResult {
  const result = emptyResult();
  const trimmed = value.trim();
  if (trimmed === '') return withProblem(result, 'empty', 'the value is empty');
  if (REDACTED_MARKERS.has(trimmed)) return withProblem(result, 'redacted-data', redactedMessage(trimmed));
  const decoded = decodeBase64(value);
  if (!decoded.ok) {
    result.problems.push({
      kind: 'invalid-base64',
      message: `not valid base64: ${decoded.message}`,
      start: decoded.offset,
      end: Math.min(decoded.offset + 1, value.length),
    });
    return result;
  }
  decodeBytes(decoded.bytes, result, 'base64', false);
  return result;
}

/** File content: PEM (one or many blocks, cert and key together), DER, or base64 text. */
export function decodeFileContent(bytes: Uint8Array): DecodeResult {
  const result = emptyResult();
  decodeBytes(bytes, result, 'file', true);
  return result;
}

/** Text that should hold PEM blocks (an editor buffer, a decoded value); offsets are into `text`. */
export function decodePemText(text: string): DecodeResult {
  const result = emptyResult();
  decodePem(text, result, true);
  return result;
}

function emptyResult(): DecodeResult {
  return { certificates: [], privateKeys: [], problems: [] };
}

function withProblem(result: DecodeResult, kind: DecodeProblemKind, message: string): DecodeResult {
  result.problems.push({ kind, message });
  return result;
}

function redactedMessage(marker: string): string {
  return `the data was replaced by the placeholder "${marker}" (output of "kubectl config view"); use "kubectl config view --raw" to keep it`;
}

const textDecoder = new TextDecoder('utf-8');
const fileTexts = new WeakMap<Uint8Array, string>();

/**
 * A file's text, decoded once per byte array however many readers ask (the decoder, finding spans,
 * the CLI's source excerpts): a 15 MB bundle is then held once as text, not three times.
 */
export function fileText(bytes: Uint8Array): string {
  let text = fileTexts.get(bytes);
  if (text === undefined) {
    text = textDecoder.decode(bytes);
    fileTexts.set(bytes, text);
  }
  return text;
}

function decodeBytes(
  bytes: Uint8Array,
  result: DecodeResult,
  source: 'base64' | 'file',
  allowBase64: boolean,
): void {
  if (bytes.length === 0 || isBlank(bytes)) {
    withProblem(
      result,
      'empty',
      source === 'base64' ? 'the base64 data decodes to nothing' : 'the file is empty',
    );
    return;
  }
  if (bytes[0] === 0x30) {
    decodeDer(bytes, result);
    if (source === 'base64' && (result.certificates.length || result.privateKeys.length)) {
      withProblem(
        result,
        'invalid-pem',
        'the base64 data holds DER; kubectl expects PEM text inside the base64',
      );
    }
    return;
  }
  const text = source === 'file' ? fileText(bytes) : textDecoder.decode(bytes);
  if (text.includes('-----BEGIN ')) {
    decodePem(text, result, source === 'file');
    return;
  }
  const trimmed = text.trim();
  if (REDACTED_MARKERS.has(trimmed)) {
    withProblem(result, 'redacted-data', redactedMessage(trimmed));
    return;
  }
  if (allowBase64 && /^[A-Za-z0-9+/=\s]+$/.test(trimmed)) {
    const decoded = decodeBase64(text);
    if (decoded.ok) {
      decodeBytes(decoded.bytes, result, 'base64', false);
    } else {
      result.problems.push({
        kind: 'invalid-base64',
        message: `not valid base64: ${decoded.message}`,
        start: decoded.offset,
        end: Math.min(decoded.offset + 1, text.length),
      });
    }
    return;
  }
  withProblem(
    result,
    'invalid-pem',
    source === 'base64'
      ? 'the base64 data decodes to something that is neither PEM nor DER'
      : 'no PEM block ("-----BEGIN …-----") and not DER',
  );
}

function isBlank(bytes: Uint8Array): boolean {
  for (const b of bytes) if (b !== 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d) return false;
  return true;
}

/** One DER certificate or key, or several DER certificates one after another. */
function decodeDer(bytes: Uint8Array, result: DecodeResult): void {
  let offset = 0;
  let index = 0;
  while (offset < bytes.length) {
    const length = firstElementLength(bytes.subarray(offset));
    if (length < 0) {
      withProblem(result, 'invalid-der', 'the data starts like DER but its structure is broken');
      return;
    }
    const element = bytes.subarray(offset, offset + length);
    try {
      result.certificates.push({ cert: parseCertificate(element), index });
      index++;
    } catch (certError) {
      if (offset === 0 && length === bytes.length) {
        try {
          result.privateKeys.push(parsePrivateKey(element));
          return;
        } catch {
          // neither a certificate nor a key: report the certificate error, the likelier intent
        }
      }
      withProblem(result, 'invalid-der', errorMessage(certError));
      return;
    }
    offset += length;
  }
}

function decodePem(text: string, result: DecodeResult, withOffsets: boolean): void {
  const blocks = findPemBlocks(text);
  if (blocks.length === 0) {
    withProblem(
      result,
      text.trim() === '' ? 'empty' : 'invalid-pem',
      'no PEM block ("-----BEGIN …-----") found',
    );
    return;
  }
  let index = 0;
  for (const block of blocks) {
    const at = withOffsets ? { start: block.start, end: block.end } : {};
    const problem = (kind: DecodeProblemKind, message: string) =>
      result.problems.push({ kind, message, ...at });
    const isCertificate = CERTIFICATE_LABELS.has(block.label);
    const position = isCertificate ? index++ : -1;
    if (block.error !== undefined || !block.bytes) {
      problem('invalid-pem', block.error ?? 'unreadable PEM block');
      continue;
    }
    if (isCertificate) {
      // TRUSTED CERTIFICATE is the certificate followed by openssl's trust settings.
      const der = block.label === 'TRUSTED CERTIFICATE' ? firstElement(block.bytes) : block.bytes;
      try {
        result.certificates.push({ cert: parseCertificate(der), index: position });
      } catch (err) {
        problem('invalid-der', `certificate #${position + 1}: ${errorMessage(err)}`);
      }
      continue;
    }
    const keyFormat = PRIVATE_KEY_LABELS[block.label];
    if (keyFormat) {
      if ((block.headers['Proc-Type'] ?? '').includes('ENCRYPTED')) {
        problem('invalid-pem', 'the private key is encrypted: kubectl cannot use an encrypted key');
        continue;
      }
      try {
        result.privateKeys.push(parsePrivateKey(block.bytes, keyFormat));
      } catch (err) {
        problem('invalid-der', errorMessage(err));
      }
      continue;
    }
    const unusable = UNUSABLE_KEY_LABELS[block.label];
    if (unusable) problem('invalid-pem', unusable);
    else if (!IGNORED_LABELS.has(block.label))
      problem('invalid-pem', `unexpected PEM block ${quoteLabel(block.label)}`);
  }
}

function firstElement(bytes: Uint8Array): Uint8Array {
  const length = firstElementLength(bytes);
  return length < 0 ? bytes : bytes.subarray(0, length);
}

function errorMessage(err: unknown): string {
  if (err instanceof CertificateParseError || err instanceof KeyParseError) return err.message;
  return 'the data could not be decoded';
}
