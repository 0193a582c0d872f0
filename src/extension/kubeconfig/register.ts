// Hover and diagnostics share one document service (and its lazily loaded analysis).
import { registerDiagnostics } from '../diagnostics/diagnostics';
import type { Ctx } from '../ctx';
import { registerHover } from '../hover/hoverProvider';
import { registerProbe } from '../probe/register';
import { KubeconfigDocuments } from './documents';

export function registerKubeconfigFeatures(ctx: Ctx): void {
  const documents = ctx.own(new KubeconfigDocuments(ctx));
  registerHover(ctx, documents);
  registerDiagnostics(ctx, documents);
  // Served certificates of `server:` values: a hover of its own (VS Code merges hovers) and diagnostics.
  registerProbe(ctx, documents);
}
