// Entry point of dist/cli.js (`kubecerts`).
import { homedir } from 'node:os';
import { runCli } from './run';

runCli(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  cwd: process.cwd(),
  platform: process.platform,
  homedir: homedir(),
}).then((code) => {
  process.exitCode = code;
});
