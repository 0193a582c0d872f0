// Authentication: a client certificate verified against the cluster CA (CN → user, each O → a
// group), or a bootstrap token (`<id>.<secret>`, as kubeadm creates them). Anything else is anonymous.
import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { TLSSocket } from 'node:tls';
import type { UserInfo } from './types';

export interface BootstrapToken {
  readonly id: string;
  readonly secret: string;
  /** RFC 3339; absent = never expires. */
  readonly expiration?: string;
  /** Extra groups, e.g. `system:bootstrappers:kubeadm:default-node-token`. */
  readonly extraGroups: readonly string[];
}

const BOOTSTRAP_TOKEN = /^([a-z0-9]{6})\.([a-z0-9]{16})$/;

export function authenticate(
  req: IncomingMessage,
  tokens: readonly BootstrapToken[],
  now: Date,
): UserInfo | undefined {
  const socket = req.socket as TLSSocket;
  if (socket.authorized) {
    const subject = socket.getPeerCertificate().subject as unknown as Record<
      string,
      string | string[] | undefined
    >;
    const cn = subject?.CN;
    const name = Array.isArray(cn) ? cn[0] : cn;
    if (name) {
      const o = subject.O;
      return {
        name,
        groups: [...(o === undefined ? [] : Array.isArray(o) ? o : [o]), 'system:authenticated'],
      };
    }
  }
  const header = req.headers.authorization;
  const bearer = header?.match(/^Bearer\s+(\S+)$/i)?.[1];
  return bearer ? bootstrapUser(bearer, tokens, now) : undefined;
}

function bootstrapUser(value: string, tokens: readonly BootstrapToken[], now: Date): UserInfo | undefined {
  const match = BOOTSTRAP_TOKEN.exec(value);
  if (!match) return undefined;
  const token = tokens.find((t) => t.id === match[1]);
  if (!token || !sameSecret(token.secret, match[2])) return undefined;
  if (token.expiration && Date.parse(token.expiration) <= now.getTime()) return undefined;
  return {
    name: `system:bootstrap:${token.id}`,
    groups: ['system:bootstrappers', ...token.extraGroups, 'system:authenticated'],
  };
}

function sameSecret(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}
