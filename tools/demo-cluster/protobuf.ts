// Decodes the Kubernetes protobuf encoding of the objects typed clients send. kubectl's typed client
// (`certificate approve|deny`, `auth can-i`) sends its body in protobuf and, in 1.32, does not fall back to
// JSON on a 415, so the server must read it (`kubectl create secret tls` too). Field numbers are
// those of k8s.io/api certificates/v1, core/v1 and apimachinery meta/v1 generated.proto; unknown
// fields are skipped.
import { badRequest } from './errors';

type FieldType =
  'string' | 'bytes' | 'int' | 'bool' | 'time' | 'message' | 'stringMap' | 'bytesMap' | 'extraMap';

interface FieldSpec {
  readonly name: string;
  readonly type: FieldType;
  readonly repeated?: boolean;
  readonly message?: MessageSpec;
}

type MessageSpec = Readonly<Record<number, FieldSpec>>;

const OBJECT_META: MessageSpec = {
  1: { name: 'name', type: 'string' },
  2: { name: 'generateName', type: 'string' },
  3: { name: 'namespace', type: 'string' },
  5: { name: 'uid', type: 'string' },
  6: { name: 'resourceVersion', type: 'string' },
  8: { name: 'creationTimestamp', type: 'time' },
  11: { name: 'labels', type: 'stringMap' },
  12: { name: 'annotations', type: 'stringMap' },
};

const CONDITION: MessageSpec = {
  1: { name: 'type', type: 'string' },
  6: { name: 'status', type: 'string' },
  2: { name: 'reason', type: 'string' },
  3: { name: 'message', type: 'string' },
  4: { name: 'lastUpdateTime', type: 'time' },
  5: { name: 'lastTransitionTime', type: 'time' },
};

const CSR: MessageSpec = {
  1: { name: 'metadata', type: 'message', message: OBJECT_META },
  2: {
    name: 'spec',
    type: 'message',
    message: {
      1: { name: 'request', type: 'bytes' },
      7: { name: 'signerName', type: 'string' },
      8: { name: 'expirationSeconds', type: 'int' },
      5: { name: 'usages', type: 'string', repeated: true },
      2: { name: 'username', type: 'string' },
      3: { name: 'uid', type: 'string' },
      4: { name: 'groups', type: 'string', repeated: true },
      6: { name: 'extra', type: 'extraMap' },
    },
  },
  3: {
    name: 'status',
    type: 'message',
    message: {
      1: { name: 'conditions', type: 'message', repeated: true, message: CONDITION },
      2: { name: 'certificate', type: 'bytes' },
    },
  },
};

const SELF_SUBJECT_ACCESS_REVIEW: MessageSpec = {
  1: { name: 'metadata', type: 'message', message: OBJECT_META },
  2: {
    name: 'spec',
    type: 'message',
    message: {
      1: {
        name: 'resourceAttributes',
        type: 'message',
        message: {
          1: { name: 'namespace', type: 'string' },
          2: { name: 'verb', type: 'string' },
          3: { name: 'group', type: 'string' },
          4: { name: 'version', type: 'string' },
          5: { name: 'resource', type: 'string' },
          6: { name: 'subresource', type: 'string' },
          7: { name: 'name', type: 'string' },
        },
      },
      2: {
        name: 'nonResourceAttributes',
        type: 'message',
        message: { 1: { name: 'path', type: 'string' }, 2: { name: 'verb', type: 'string' } },
      },
    },
  },
};

/** core/v1 generated.proto: what `kubectl create secret|configmap|namespace` sends. */
const SECRET: MessageSpec = {
  1: { name: 'metadata', type: 'message', message: OBJECT_META },
  2: { name: 'data', type: 'bytesMap' },
  3: { name: 'type', type: 'string' },
  4: { name: 'stringData', type: 'stringMap' },
  5: { name: 'immutable', type: 'bool' },
};

const CONFIG_MAP: MessageSpec = {
  1: { name: 'metadata', type: 'message', message: OBJECT_META },
  2: { name: 'data', type: 'stringMap' },
  3: { name: 'binaryData', type: 'bytesMap' },
  4: { name: 'immutable', type: 'bool' },
};

const NAMESPACE: MessageSpec = {
  1: { name: 'metadata', type: 'message', message: OBJECT_META },
  2: {
    name: 'spec',
    type: 'message',
    message: { 1: { name: 'finalizers', type: 'string', repeated: true } },
  },
};

/** The kinds typed clients post to this server. */
const KINDS: Readonly<Record<string, MessageSpec>> = {
  CertificateSigningRequest: CSR,
  Secret: SECRET,
  ConfigMap: CONFIG_MAP,
  Namespace: NAMESPACE,
  SelfSubjectAccessReview: SELF_SUBJECT_ACCESS_REVIEW,
  SelfSubjectRulesReview: {
    1: { name: 'metadata', type: 'message', message: OBJECT_META },
    2: { name: 'spec', type: 'message', message: { 1: { name: 'namespace', type: 'string' } } },
  },
  SelfSubjectReview: { 1: { name: 'metadata', type: 'message', message: OBJECT_META } },
};

/** runtime.Unknown, the envelope after the `k8s\0` magic. */
const UNKNOWN: MessageSpec = {
  1: {
    name: 'typeMeta',
    type: 'message',
    message: { 1: { name: 'apiVersion', type: 'string' }, 2: { name: 'kind', type: 'string' } },
  },
  2: { name: 'raw', type: 'bytes' },
};

const MAGIC = Buffer.from([0x6b, 0x38, 0x73, 0x00]);

export const PROTOBUF_CONTENT_TYPE = 'application/vnd.kubernetes.protobuf';

/** Decodes a protobuf-encoded object into its JSON form (bytes fields as base64). */
export function decodeProtobuf(body: Buffer): unknown {
  if (body.length < 4 || !body.subarray(0, 4).equals(MAGIC))
    throw badRequest('the body of the request was in an unknown format: missing protobuf magic');
  const envelope = decodeMessage(body.subarray(4), UNKNOWN) as {
    typeMeta?: { apiVersion?: string; kind?: string };
    raw?: string;
  };
  const { apiVersion, kind } = envelope.typeMeta ?? {};
  const spec = kind ? KINDS[kind] : undefined;
  if (!spec) throw badRequest(`protobuf decoding of ${kind ?? 'an unknown kind'} is not supported`);
  const obj = decodeMessage(Buffer.from(envelope.raw ?? '', 'base64'), spec);
  return { apiVersion, kind, ...obj };
}

function decodeMessage(buf: Buffer, spec: MessageSpec): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const reader = new Reader(buf);
  while (!reader.done()) {
    const key = reader.varint();
    const fieldNumber = Number(key >> 3n);
    const wireType = Number(key & 7n);
    const field = spec[fieldNumber];
    if (!field) {
      reader.skip(wireType);
      continue;
    }
    const value = decodeField(reader, wireType, field);
    if (field.type === 'stringMap' || field.type === 'bytesMap' || field.type === 'extraMap') {
      const [k, v] = value as [string, unknown];
      out[field.name] = { ...((out[field.name] as object) ?? {}), [k]: v };
    } else if (field.repeated) {
      out[field.name] = [...((out[field.name] as unknown[]) ?? []), value];
    } else {
      out[field.name] = value;
    }
  }
  return out;
}

function decodeField(reader: Reader, wireType: number, field: FieldSpec): unknown {
  if (field.type === 'int' || field.type === 'bool') {
    if (wireType !== 0) throw badRequest(`protobuf: field ${field.name} has wire type ${wireType}`);
    const value = BigInt.asIntN(64, reader.varint());
    return field.type === 'bool' ? value !== 0n : Number(value);
  }
  if (wireType !== 2) throw badRequest(`protobuf: field ${field.name} has wire type ${wireType}`);
  const bytes = reader.bytes();
  switch (field.type) {
    case 'string':
      return bytes.toString('utf8');
    case 'bytes':
      return bytes.toString('base64');
    case 'message':
      return decodeMessage(bytes, field.message as MessageSpec);
    case 'time': {
      const t = decodeMessage(bytes, {
        1: { name: 'seconds', type: 'int' },
        2: { name: 'nanos', type: 'int' },
      });
      return new Date(Number(t.seconds ?? 0) * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
    }
    case 'stringMap':
    case 'bytesMap': {
      // Map entries: key 1, value 2; a bytes value is base64, as in the JSON form.
      const entry = decodeMessage(bytes, {
        1: { name: 'key', type: 'string' },
        2: { name: 'value', type: field.type === 'bytesMap' ? 'bytes' : 'string' },
      });
      return [entry.key ?? '', entry.value ?? ''];
    }
    case 'extraMap': {
      const entry = decodeMessage(bytes, {
        1: { name: 'key', type: 'string' },
        2: {
          name: 'value',
          type: 'message',
          message: { 1: { name: 'items', type: 'string', repeated: true } },
        },
      });
      return [entry.key ?? '', (entry.value as { items?: string[] } | undefined)?.items ?? []];
    }
    default:
      throw badRequest(`protobuf: unsupported field type ${field.type}`);
  }
}

class Reader {
  private pos = 0;
  constructor(private readonly buf: Buffer) {}

  done(): boolean {
    return this.pos >= this.buf.length;
  }

  varint(): bigint {
    let result = 0n;
    for (let shift = 0n; shift < 70n; shift += 7n) {
      if (this.pos >= this.buf.length) throw badRequest('protobuf: truncated varint');
      const byte = this.buf[this.pos++];
      result |= BigInt(byte & 0x7f) << shift;
      if (!(byte & 0x80)) return result;
    }
    throw badRequest('protobuf: varint too long');
  }

  bytes(): Buffer {
    const length = Number(this.varint());
    if (this.pos + length > this.buf.length) throw badRequest('protobuf: truncated field');
    const out = this.buf.subarray(this.pos, this.pos + length);
    this.pos += length;
    return out;
  }

  skip(wireType: number): void {
    const sizes: Record<number, () => void> = {
      0: () => void this.varint(),
      1: () => void (this.pos += 8),
      2: () => void this.bytes(),
      5: () => void (this.pos += 4),
    };
    const skipper = sizes[wireType];
    if (!skipper) throw badRequest(`protobuf: unsupported wire type ${wireType}`);
    skipper();
  }
}
