// The service-account token signing key pair (sa.key / sa.pub): no certificate, so no dates; both
// halves must be there and be halves of one key.
import type { Finding } from '../../findings/finding';
import { SERVICE_ACCOUNT_KEY } from '../catalog';
import { finishItem, type PkiItem } from '../item';
import { pkiReason, type PkiReason } from '../reasons';
import { sameBytes } from '../wiring';
import { fileAt, missingItem, pkiFinding, type Builder, type ItemBase } from './builder';

export function serviceAccountItem(b: Builder): PkiItem {
  const privatePath = SERVICE_ACCOUNT_KEY.privateKey;
  const publicPath = SERVICE_ACCOUNT_KEY.publicKey;
  const priv = fileAt(b, privatePath);
  const pub = fileAt(b, publicPath);
  b.claimed.add(privatePath);
  b.claimed.add(publicPath);
  const base: ItemBase = {
    id: `key-pair:${privatePath}`,
    kind: 'key-pair',
    name: 'sa',
    longName: 'service account token signing key pair',
    catalog: true,
    path: privatePath,
    absolutePath: priv.absolutePath,
    keyPath: publicPath,
    keyAbsolutePath: pub.absolutePath,
    rotatedByKubelet: false,
  };
  const missing = [priv, pub].filter((half) => !half.file).map((half) => half.absolutePath);
  if (missing.length)
    return missingItem(base, {
      files: missing,
      reason: pkiReason('files-missing', { files: missing.join(', ') }),
    });

  const findings: Finding[] = [];
  const finish = (state: PkiItem['state'], reason?: PkiReason) =>
    finishItem({ ...base, state, externallyManaged: false, reason, missingFiles: [], findings });
  const privateSpkis = priv.pem?.privateKeySpkis ?? [];
  const publicSpkis = pub.pem?.publicKeySpkis ?? [];
  if (!privateSpkis.length) return finish('invalid', pkiReason('no-private-key', { file: privatePath }));
  if (!publicSpkis.length) return finish('invalid', pkiReason('no-public-key', { file: publicPath }));
  if (!publicSpkis.some((p) => privateSpkis.some((k) => sameBytes(k, p)))) {
    findings.push(
      pkiFinding('sa-key-mismatch', pub.absolutePath, {
        publicPath: pub.absolutePath,
        privatePath: priv.absolutePath,
      }),
    );
    return finish(
      'key-mismatch',
      pkiReason('public-key-mismatch', { publicFile: publicPath, privateFile: privatePath }),
    );
  }
  return finish('ok');
}
