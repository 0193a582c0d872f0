// The Chromium that the UI tests, `npm run demo -- --screenshot` and the icon renderer drive:
// Debian's package (playwright-core downloads none), headless, without the background traffic of
// a first run. KUBECERTS_CHROMIUM points at another binary.
import type { Browser } from 'playwright-core';

const CHROMIUM = process.env.KUBECERTS_CHROMIUM ?? '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** playwright-core is loaded here, on first use: the demo only needs it for a screenshot. */
export async function launchChromium(): Promise<Browser> {
  const { chromium } = await import('playwright-core');
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
}
