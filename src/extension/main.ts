// Activation only: build the Ctx and hand it to each feature. Keep this path cheap — features
// load heavy modules (@peculiar/x509, yaml, @kubernetes/client-node) with await import() on first use.
import type * as vscode from 'vscode';
import { registerCommands } from './commands';
import { Ctx } from './ctx';
import { registerKubeconfigFeatures } from './kubeconfig/register';
import { registerRenew } from './renew/register';
import { registerClusterView } from './views/cluster/clusterView';
import { registerCsrView } from './views/csr/csrView';
import { registerPkiView } from './views/pki/pkiView';

const FEATURES: readonly ((ctx: Ctx) => void)[] = [
  registerCommands,
  registerKubeconfigFeatures,
  registerCsrView,
  registerClusterView,
  registerPkiView,
  registerRenew,
];

export function activate(context: vscode.ExtensionContext): void {
  const ctx = new Ctx(context);
  // Disposed with the extension: every feature registers what it creates with ctx.own().
  context.subscriptions.push(ctx);
  for (const register of FEATURES) register(ctx);
  ctx.log.info(`kubecerts ${ctx.version} activated`);
}
