// The command table: adding a command is one line here plus its file under commands/. A command's
// module loads when it runs (renew pulls in @peculiar/x509, csr the cluster client), so
// `kubecerts audit` pays for neither.
import type { CliCommand } from './command';

export const COMMANDS: Readonly<Record<string, () => Promise<CliCommand>>> = {
  audit: () => import('./commands/audit').then((m) => m.auditCommand),
  cluster: () => import('./commands/cluster').then((m) => m.clusterCommand),
  'check-expiration': () => import('./commands/checkExpiration').then((m) => m.checkExpirationCommand),
  csr: () => import('./commands/csr').then((m) => m.csrCommand),
  probe: () => import('./commands/probe').then((m) => m.probeCommand),
  renew: () => import('./commands/renew').then((m) => m.renewCommand),
  'renew-user': () => import('./commands/renew').then((m) => m.renewUserCommand),
};
