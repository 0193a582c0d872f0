// Hover and diagnostics share one document service (and its lazily loaded analysis).
import { registerDiagnostics } from '../diagnostics/diagnostics';
import type { Ctx } from '../ctx';
import { registerCertificateFeatures } from '../details/register';
import { registerHover } from '../hover/hoverProvider';
import { registerNavigation } from '../navigation/register';
import { registerProbe } from '../probe/register';
import { KubeconfigDocuments } from './documents';

export function registerKubeconfigFeatures(ctx: Ctx): void {
  const documents = ctx.own(new KubeconfigDocuments(ctx));
  registerHover(ctx, documents);
  registerDiagnostics(ctx, documents);
  // CodeLens, details and the hover of certificates outside kubeconfigs share its kubeconfig analysis.
  registerCertificateFeatures(ctx, documents);
  registerNavigation(ctx, documents);
  // Served certificates of `server:` values: a hover of its own (VS Code merges hovers) and diagnostics.
  registerProbe(ctx, documents);
}
