// Certificates readable at a glance, in every file that holds one: one document service (the
// kubeconfig analysis for kubeconfigs, core/manifest for the rest) read by the CodeLens, the
// any-file hover and the details command.
import * as vscode from 'vscode';
import { registerCodeLens } from '../codelens/codeLens';
import type { Ctx } from '../ctx';
import { registerAnyFileHover } from '../hover/anyFileHover';
import type { KubeconfigDocuments } from '../kubeconfig/documents';
import { registerDetails } from './details';
import { DocumentCertificateService } from './documentCertificates';

export function registerCertificateFeatures(ctx: Ctx, kubeconfigs: KubeconfigDocuments): void {
  const certificates = new DocumentCertificateService(ctx, kubeconfigs);
  ctx.own(vscode.workspace.onDidCloseTextDocument((doc) => certificates.forget(doc)));
  ctx.own(ctx.config.onDidChange(() => certificates.clear()));
  registerAnyFileHover(ctx, kubeconfigs, certificates);
  registerCodeLens(ctx, certificates);
  registerDetails(ctx, certificates);
}
