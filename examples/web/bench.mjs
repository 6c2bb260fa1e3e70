// The page's training step in Chromium (Debian's; playwright-core), by model and threads:
// median ms of a run's steps after its first five (250 steps of the MLP, 30 of the CNN). `pnpm bench:web` builds the
// page and runs this; BENCHMARKS.md records its output.
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const here = dirname(fileURLToPath(import.meta.url));
const server = spawn(process.execPath, [join(here, 'serve.mjs')], { env: { ...process.env, PORT: '0' }, stdio: ['ignore', 'pipe', 'inherit'] });
const url = await new Promise((found) => server.stdout.on('data', (chunk) => {
  const address = /http:\/\/127\.0\.0\.1:\d+\//.exec(String(chunk));
  if (address) found(address[0]);
}));
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
try {
  const page = await browser.newPage();
  await page.goto(url);
  await page.waitForFunction(() => globalThis.wick?.ready);
  console.log('The page\'s training step in Chromium, batch 64: median ms, first five steps left out');
  console.log('model  threads  ms/step');
  for (const [model, steps] of [['mlp', 250], ['cnn', 30]]) {
    await page.selectOption('#model', model);
    for (const threads of ['1', '2']) {
      await page.selectOption('#threads', threads);
      await page.click('#train');
      await page.waitForFunction((n) => globalThis.wick.losses.length >= n, steps, { timeout: 300_000 });
      await page.click('#stop');
      await page.locator('#status', { hasText: 'Stopped' }).waitFor({ timeout: 300_000 });
      const ms = await page.evaluate((n) => globalThis.wick.stepMs.slice(5, n).sort((a, b) => a - b), steps);
      console.log(`${model}    ${threads}        ${ms[Math.floor(ms.length / 2)].toFixed(2)}`);
    }
  }
} finally {
  await browser.close();
  server.kill();
}
