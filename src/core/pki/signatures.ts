// Signature checks are the only costly step of an inventory rebuild once contents are cached. The
// scanner owns one cache for its folder; decoded certificates keep their identity across rebuilds,
// so entries keyed by them (weakly) live exactly as long as the certificates do.
import { verifySignature } from '../x509/chain';
import type { Certificate } from '../x509/model';

export class SignatureCache {
  private readonly byCert = new WeakMap<Certificate, Map<string, boolean>>();

  /** Does `ca`'s key verify `cert`'s signature? */
  verifies(cert: Certificate, ca: Certificate): boolean {
    let byCa = this.byCert.get(cert);
    if (!byCa) this.byCert.set(cert, (byCa = new Map()));
    let ok = byCa.get(ca.sha256Fingerprint);
    if (ok === undefined) byCa.set(ca.sha256Fingerprint, (ok = verifySignature(cert, ca)));
    return ok;
  }
}
