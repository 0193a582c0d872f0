// Child process for the fault tests: performs one write (atomicWriteFile or a kubeadm renewal)
// and SIGKILLs itself at the Nth step of the writer, a real crash: no finally, no cleanup, no
// flush. Exits 0 when the write finished before reaching that step.
import { atomicWriteFile } from '../../../src/node/fs/atomicWrite';
import { renewKubeadm } from '../../../src/node/renew/kubeadm';

interface Job {
  readonly kind: 'atomic' | 'renew';
  readonly killAt: number;
  readonly target?: string;
  readonly data?: string;
  readonly configDir?: string;
  readonly name?: string;
  readonly now?: string;
}

const job = JSON.parse(process.argv[2]) as Job;
let step = 0;
const onStep = (): void => {
  if (step++ === job.killAt) process.kill(process.pid, 'SIGKILL');
};

async function main(): Promise<void> {
  if (job.kind === 'atomic') await atomicWriteFile(job.target!, job.data!, { onStep });
  else await renewKubeadm([job.name!], { configDir: job.configDir!, now: new Date(job.now!), onStep });
  process.stdout.write(JSON.stringify({ steps: step }));
}

void main();
