// The suite's mocha instance. index.ts imports this module before the suite files, so the BDD
// globals (describe, it, before, …) exist when each suite file's top level runs.
import Mocha from 'mocha';

export const mocha = new Mocha({ ui: 'bdd', timeout: 30_000, color: false, reporter: 'spec' });
mocha.suite.emit('pre-require', globalThis, 'extension-host', mocha);
// A runner stage may run only some suites (the Restricted Mode stage runs the workspace trust suite).
if (process.env.KUBECERTS_E2E_GREP) mocha.grep(process.env.KUBECERTS_E2E_GREP);
