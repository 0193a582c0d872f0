// Errors of the cluster adapter, sorted into what a user can act on. Messages name resources,
// users and permissions, never credentials; the server's own Status message is kept because
// Kubernetes words it for humans ("... cannot update resource ...").
import { redactSecrets } from '../../core/redact';

export type ClusterErrorKind =
  | 'config'
  | 'exec-refused'
  | 'unreachable'
  | 'unauthorized'
  | 'forbidden'
  | 'not-found'
  | 'conflict'
  | 'invalid'
  | 'gone'
  | 'refused'
  | 'other';

export class ClusterError extends Error {
  override name = 'ClusterError';

  /**
   * Each lazily loaded bundle (LAZY_CHUNKS in esbuild.js) carries its own copy of this class, and
   * a client made in one bundle throws into code of another: `instanceof` recognises any copy by
   * its name and kind.
   */
  static override [Symbol.hasInstance](value: unknown): value is ClusterError {
    const e = value as { name?: unknown; kind?: unknown } | null | undefined;
    return value instanceof Error && e?.name === 'ClusterError' && typeof e.kind === 'string';
  }

  constructor(
    readonly kind: ClusterErrorKind,
    message: string,
    readonly details: {
      readonly status?: number;
      /** The server's Status.message, when it sent one. */
      readonly serverMessage?: string;
      /** The RBAC permissions the caller lacks, in kubectl auth can-i terms. */
      readonly missingPermissions?: readonly string[];
    } = {},
  ) {
    super(message);
  }
}

const KIND_BY_STATUS: Readonly<Record<number, ClusterErrorKind>> = {
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not-found',
  409: 'conflict',
  410: 'gone',
  422: 'invalid',
};

/** Node network error codes that mean "nobody answers there". */
const UNREACHABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ETIMEDOUT',
  'EAI_AGAIN',
  'EPIPE',
]);

interface StatusBody {
  readonly message?: string;
  readonly reason?: string;
}

function statusBody(body: unknown): StatusBody {
  if (typeof body === 'string') {
    try {
      return statusBody(JSON.parse(body));
    } catch {
      return {};
    }
  }
  return body && typeof body === 'object' ? (body as StatusBody) : {};
}

function errorCode(err: unknown): string | undefined {
  for (let e: unknown = err, depth = 0; e && typeof e === 'object' && depth < 5; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}

/**
 * Turns what @kubernetes/client-node throws (ApiException with `code` and `body`, a watch Error with
 * `statusCode`, a fetch/system error) into a ClusterError. `action` says what was attempted.
 */
export function toClusterError(
  err: unknown,
  action: string,
  permissionsNeeded: readonly string[] = [],
): ClusterError {
  if (err instanceof ClusterError) return err;
  const e = (err ?? {}) as { code?: unknown; statusCode?: unknown; body?: unknown; message?: unknown };
  const status =
    typeof e.code === 'number' ? e.code : typeof e.statusCode === 'number' ? e.statusCode : undefined;
  if (status !== undefined) {
    const kind = KIND_BY_STATUS[status] ?? 'other';
    // The server's message may quote the request it rejects (a webhook echoing a body): redacted.
    const rawMessage = statusBody(e.body).message;
    const serverMessage = typeof rawMessage === 'string' ? redactSecrets(rawMessage) : undefined;
    if (kind === 'forbidden') {
      const needs = permissionsNeeded.length ? ` You need: ${permissionsNeeded.join('; ')}.` : '';
      return new ClusterError(
        kind,
        `Forbidden: ${action}.${needs}${serverMessage ? ` (${serverMessage})` : ''}`,
        {
          status,
          serverMessage,
          missingPermissions: permissionsNeeded,
        },
      );
    }
    if (kind === 'unauthorized') {
      return new ClusterError(
        kind,
        `Unauthorized: the cluster did not accept the credentials of this context (${action}).`,
        { status },
      );
    }
    return new ClusterError(
      kind,
      serverMessage ? `${action}: ${serverMessage}` : `${action}: HTTP ${status}`,
      { status, serverMessage },
    );
  }
  const code = errorCode(err);
  if (code && UNREACHABLE_CODES.has(code))
    return new ClusterError('unreachable', `Cannot reach the cluster (${code}) while trying to ${action}.`);
  if (code && /^(?:ERR_TLS|CERT_|UNABLE_TO|DEPTH_ZERO|SELF_SIGNED|ERR_SSL)/.test(code)) {
    return new ClusterError(
      'unreachable',
      `TLS connection to the cluster failed (${code}) while trying to ${action}.`,
    );
  }
  const message = typeof e.message === 'string' ? e.message.split('\n')[0] : String(err);
  return new ClusterError('other', redactSecrets(`${action}: ${message}`));
}
