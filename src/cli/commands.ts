// The command table: adding a command is one line here plus its file under commands/.
import type { CliCommand } from './command';
import { auditCommand } from './commands/audit';
import { checkExpirationCommand } from './commands/checkExpiration';
import { csrCommand } from './commands/csr';
import { renewCommand, renewUserCommand } from './commands/renew';

export const COMMANDS: Readonly<Record<string, CliCommand>> = {
  audit: auditCommand,
  'check-expiration': checkExpirationCommand,
  csr: csrCommand,
  renew: renewCommand,
  'renew-user': renewUserCommand,
};
