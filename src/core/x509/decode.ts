// Turning whatever a user has (kubeconfig `*-data` values, .crt/.pem/.key files, bundles, DER) into
// certificates and key handles. Never throws: every failure becomes a problem with a message a
// user can act on, and no message ever quotes the input (it may be a private key).
import { firstElementLength } from './der';
import { CertificateParseError, parseCertificate } from './certificate';
import {
  goPrivateKeyProblem,
  KeyParseError,
  PRIVATE_KEY_LABELS,
  parsePrivateKey,
  type PrivateKeyHandle,
} from './keys';
import type { Certificate } from './model';
import { decodeBase64, findPemBlocks, quoteLabel } from './pem';

export type DecodeProblemKind =
  | 'invalid-base64'
  | 'invalid-pem'
  | 'redacted-data'
  | 'invalid-der'
  | 'empty'
  /** A private key Go cannot load; the message is the short reason (e.g. "Ed448 key"). */
  | 'unsupported-key';

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

/**
 * client-go decodes `*-data` with Go's base64.StdEncoding (inside encoding/json), which skips `\r`
 * and `\n` but refuses every other whitespace: "illegal base64 data at input byte N".
 */
const GO_BASE64_REJECTED_WHITESPACE = /[ \t\v\f]/;
const WHITESPACE_NAMES: Readonly<Record<string, string>> = {
  ' ': 'a space',
  '\t': 'a tab',
  '\v': 'a vertical tab',
  '\f': 'a form feed',
};

/** A kubeconfig `*-data` value: base64 of PEM, or a `kubectl config view` placeholder. */
export function decodeBase64Data(value: string): DecodeResult {
  const result = emptyResult();
  const trimmed = value.trim();
  if (trimmed === '') return withProblem(result, 'empty', 'the value is empty');
  if (REDACTED_MARKERS.has(trimmed)) return withProblem(result, 'redacted-data', redactedMessage(trimmed));
  const blank = GO_BASE64_REJECTED_WHITESPACE.exec(value);
  if (blank) {
    result.problems.push({
      kind: 'invalid-base64',
      message: `${WHITESPACE_NAMES[blank[0]] ?? 'whitespace'} at character ${blank.index + 1}: kubectl's base64 decoder skips line breaks only (a ">" folded block or a value wrapped over several lines joins them with spaces; use a "|" literal block or one line)`,
      start: blank.index,
      end: blank.index + 1,
    });
    return result;
  }
  const decoded = decodeBase64(value);
  if (!decoded.ok) {
    result.problems.push({
      kind: 'invalid-base64',
      message: decoded.message,
      start: decoded.offset,
      end: Math.min(decoded.offset + 1, value.length),
    });
    return result;
  }
  decodeBytes(decoded.bytes, result, 'base64', true);
  return result;
}

/**
 * File content: PEM (one or many blocks, cert and key together), DER, or base64 text. With
 * `asKubectl` (a file a kubeconfig names) only what client-go reads counts: PEM text,
 * "CERTIFICATE" blocks, keys Go can load.
 */
export function decodeFileContent(bytes: Uint8Array, options: { asKubectl?: boolean } = {}): DecodeResult {
  const result = emptyResult();
  decodeBytes(bytes, result, 'file', options.asKubectl === true);
  return result;
}

/** Text that should hold PEM blocks (an editor buffer, a decoded value); offsets are into `text`. */
export function decodePemText(text: string): DecodeResult {
  const result = emptyResult();
  decodePem(text, result, true, false);
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
  asKubectl: boolean,
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
    if (source === 'file' && asKubectl) {
      withProblem(
        result,
        'invalid-pem',
        'the file holds DER; kubectl reads PEM files only (openssl x509 -inform der converts it)',
      );
      return;
    }
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
    decodePem(text, result, source === 'file', asKubectl);
    return;
  }
  const trimmed = text.trim();
  if (REDACTED_MARKERS.has(trimmed)) {
    withProblem(result, 'redacted-data', redactedMessage(trimmed));
    return;
  }
  if (source === 'file' && !asKubectl && /^[A-Za-z0-9+/=\s]+$/.test(trimmed)) {
    const decoded = decodeBase64(text);
    if (decoded.ok) {
      decodeBytes(decoded.bytes, result, 'base64', false);
    } else {
      result.problems.push({
        kind: 'invalid-base64',
        message: decoded.message,
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

/** Labels openssl writes for certificates that Go's PEM readers skip: only "CERTIFICATE" counts. */
const NOT_FOR_GO: ReadonlySet<string> = new Set(['X509 CERTIFICATE', 'TRUSTED CERTIFICATE']);

function decodePem(text: string, result: DecodeResult, withOffsets: boolean, asKubectl: boolean): void {
  const blocks = findPemBlocks(text);
  // Go skips the blocks it does not read: next to a "CERTIFICATE" they cost nothing.
  const skipsTrusted = asKubectl && blocks.some((block) => block.label === 'CERTIFICATE' && block.bytes);
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
    if (asKubectl && NOT_FOR_GO.has(block.label)) {
      if (skipsTrusted) continue;
      problem(
        'invalid-pem',
        `a ${quoteLabel(block.label)} block is not read by kubectl, which takes only "CERTIFICATE" blocks (openssl x509 -in FILE writes one)`,
      );
      continue;
    }
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
      const unsupported = asKubectl ? goPrivateKeyProblem(block.bytes) : undefined;
      if (unsupported !== undefined) {
        problem('unsupported-key', unsupported);
        continue;
      }
      try {
        // Go tries PKCS#1, PKCS#8 and SEC1 whatever the label says.
        result.privateKeys.push(parsePrivateKey(block.bytes, asKubectl ? undefined : keyFormat));
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
