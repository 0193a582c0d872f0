// Renders media/icon.svg to the 128x128 media/icon.png the marketplace and VS Code show
// (`node --import tsx scripts/render-icon.ts`; needs the Chromium the e2e tests use).
import fs from 'node:fs';
import path from 'node:path';
import { launchChromium } from './e2e/chromium';

const MEDIA = path.resolve(__dirname, '../media');

async function main(): Promise<void> {
  const browser = await launchChromium();
  try {
    const page = await browser.newPage({ viewport: { width: 128, height: 128 } });
    const svg = fs.readFileSync(path.join(MEDIA, 'icon.svg'), 'utf8');
    await page.setContent(`<body style="margin:0;background:transparent">${svg}</body>`);
    await page.locator('svg').screenshot({ path: path.join(MEDIA, 'icon.png'), omitBackground: true });
  } finally {
    await browser.close();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
