// The suite's mocha instance. index.ts imports this module before the suite files, so the BDD
// globals (describe, it, before, …) exist when each suite file's top level runs.
import Mocha from 'mocha';

// Above a test's waits (30 s each by default, test/integration/wait.ts), so a slow condition is
// reported by its wait, with what it saw, not by mocha's bare timeout.
export const mocha = new Mocha({ ui: 'bdd', timeout: 120_000, color: false, reporter: 'spec' });
mocha.suite.emit('pre-require', globalThis, 'extension-host', mocha);
// A runner stage may run only some suites (the Restricted Mode stage runs the workspace trust suite).
if (process.env.KUBECERTS_E2E_GREP) mocha.grep(process.env.KUBECERTS_E2E_GREP);
