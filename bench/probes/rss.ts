// Preloaded (`node --require rss.cjs …`) into a process the bench times from outside: writes the
// process's peak RSS to $KUBECERTS_BENCH_RSS when it exits.
import * as fs from 'node:fs';

const file = process.env.KUBECERTS_BENCH_RSS;
if (file) {
  process.on('exit', () => {
    fs.writeFileSync(file, JSON.stringify({ peakRssMb: process.resourceUsage().maxRSS / 1024 }));
  });
}
