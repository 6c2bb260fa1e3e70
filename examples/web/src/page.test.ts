/**
 * The page in a real browser: Debian's Chromium (apt-get install chromium) driven by
 * playwright-core, against the built page served as `pnpm web` serves it. Skipped, saying so, where
 * no Chromium is installed; .ci/run installs it, so CI always runs this.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { getBackend, manualSeed, noGrad, randint, randn, setNumThreads, tensor, useBackend } from '@wick/core';
import * as testing from '@wick/core/testing';
import { CrossEntropyLoss, load, optim } from '@wick/nn';
import { MLP } from '../../src/model';
import { decodeDigits, PIXELS } from './digits';

const CHROMIUM = '/usr/bin/chromium';
const root = join(__dirname, '..', '..', '..');
const web = join(root, 'examples', 'web');
const artifacts = join(root, 'runs', 'web');

/** Held-out digits (index into the test set) drawn on the pad with the pointer, and their labels' check. */
const DRAWN = [0, 1, 2];

function run(args: string[]): string {
  const result = spawnSync(process.execPath, args, { cwd: root, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`node ${args.join(' ')} failed:\n${result.stdout}${result.stderr}`);
  return result.stdout;
}

/** What the page exposes as (globalThis as unknown as PageGlobals).wick (examples/web/src/main.ts). */
interface PageState {
  ready: boolean;
  losses: number[];
  stepMs: number[];
  epochs: { epoch: number; trainAcc: number; testAcc: number }[];
  testAcc: number | null;
  lastPrediction: { digit: number; probabilities: number[] } | null;
  predictions: number;
  threads: number;
  trainingThreads: number;
  chartUpdates: number;
  error: string | null;
}
type PageGlobals = { wick: PageState };

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

if (!existsSync(CHROMIUM)) {
  console.log('skipped: no Chromium (apt-get install chromium)');
}

(existsSync(CHROMIUM) ? describe : describe.skip)('the page in Chromium', () => {
  let server: ChildProcess;
  let browser: Browser;
  let page: Page;
  let url: string;
  const digits = () => decodeDigits(new Uint8Array(readFileSync(join(web, 'dist', 'digits.bin'))).buffer);

  beforeAll(async () => {
    run([require.resolve('typescript/bin/tsc'), '-b', 'packages/core', 'packages/nn', 'examples']);
    run(['scripts/build-esm.mjs']);
    run(['examples/web/build.mjs']);
    // pnpm web's server, on a free port.
    server = spawn(process.execPath, [join(web, 'serve.mjs')], { env: { ...process.env, PORT: '0' }, stdio: ['ignore', 'pipe', 'inherit'] });
    url = await new Promise<string>((found, fail) => {
      server.stdout?.on('data', (chunk: Buffer) => {
        const address = /http:\/\/127\.0\.0\.1:\d+\//.exec(chunk.toString());
        if (address) found(address[0]);
      });
      server.on('exit', (code) => fail(new Error(`serve.mjs exited with ${code}`)));
    });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
    page = await browser.newPage({ acceptDownloads: true, viewport: { width: 1280, height: 1000 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(url);
    await page.waitForFunction(() => (globalThis as unknown as PageGlobals).wick?.ready, null, { timeout: 60_000 });
    expect(errors).toEqual([]);
    // The page is cross-origin isolated, so the worker trains on two threads where there are two cores.
    const { isolated, cores } = await page.evaluate(() => {
      const scope = globalThis as unknown as { crossOriginIsolated: boolean; navigator: { hardwareConcurrency: number } };
      return { isolated: scope.crossOriginIsolated, cores: scope.navigator.hardwareConcurrency };
    });
    expect(isolated).toBe(true);
    expect(await page.evaluate(() => (globalThis as unknown as PageGlobals).wick.threads)).toBe(cores > 1 ? 2 : 1);
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    server?.kill();
  });

  test('trains the MLP in a worker: the loss falls, the charts follow, the held-out accuracy is reported', async () => {
    await page.fill('#epochs', '2');
    await page.click('#train');
    await page.waitForFunction(() => (globalThis as unknown as PageGlobals).wick.testAcc !== null || (globalThis as unknown as PageGlobals).wick.error !== null, null, { timeout: 120_000 });
    const s = await page.evaluate(() => (globalThis as unknown as PageGlobals).wick);
    const points = ((await page.locator('#loss-chart polyline').getAttribute('points')) ?? '').split(' ').length;
    expect(await page.locator('#acc-chart circle').count()).toBe(4);
    expect(s.error).toBeNull();
    expect(s.losses).toHaveLength(2 * 125);
    const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;
    expect(mean(s.losses.slice(-25))).toBeLessThan(mean(s.losses.slice(0, 25)) / 3);
    expect(points).toBe(s.losses.length);
    expect(s.chartUpdates).toBeGreaterThan(2);
    expect(s.epochs).toHaveLength(2);
    expect(s.testAcc).toBeGreaterThan(0.9);
    expect(s.trainingThreads).toBe(s.threads);
    expect(await page.locator('#confusion td').count()).toBe(100);

    // The same model and batch in Node, on the same backend and threads, for the step time the page should match.
    const previous = getBackend();
    useBackend('wasm');
    setNumThreads(s.trainingThreads);
    manualSeed(0);
    const model = new MLP(PIXELS, 128, 10);
    const opt = new optim.Adam(model.parameters(), { lr: 1e-3 });
    const criterion = new CrossEntropyLoss();
    const [x, y] = [randn([64, PIXELS]), randint(0, 10, [64])];
    const nodeMs: number[] = [];
    for (let i = 0; i < 250; i++) {
      const started = performance.now();
      opt.zeroGrad();
      criterion.forward(model.forward(x), y).backward();
      opt.step();
      nodeMs.push(performance.now() - started);
    }
    setNumThreads(1);
    useBackend(previous);
    const pageMedian = median(s.stepMs);
    const nodeMedian = median(nodeMs.slice(50));
    console.log(`MLP training step on ${s.trainingThreads} thread(s), median: page ${pageMedian.toFixed(3)} ms, Node ${nodeMedian.toFixed(3)} ms (${(pageMedian / nodeMedian).toFixed(2)}x)`);
  }, 180_000);

  test('three held-out digits drawn on the pad with the pointer are read as their labels', async () => {
    const { test: set } = digits();
    const box = (await page.locator('#pad').boundingBox()) as { x: number; y: number; width: number };
    const cell = box.width / 28;
    for (const i of DRAWN) {
      await page.click('#clear');
      const before = await page.evaluate(() => (globalThis as unknown as PageGlobals).wick.predictions);
      // Each row's runs of ink as strokes of the pointer, one 28th of the pad per pixel.
      for (let row = 0; row < 28; row++) {
        for (let col = 0; col < 28; col++) {
          if (set.images[i * PIXELS + row * 28 + col] < 0.5 || (col > 0 && set.images[i * PIXELS + row * 28 + col - 1] >= 0.5)) continue;
          let end = col;
          while (end + 1 < 28 && set.images[i * PIXELS + row * 28 + end + 1] >= 0.5) end++;
          const yPos = box.y + (row + 0.5) * cell;
          await page.mouse.move(box.x + (col + 0.5) * cell, yPos);
          await page.mouse.down();
          await page.mouse.move(box.x + (end + 0.5) * cell, yPos, { steps: 2 });
          await page.mouse.up();
        }
      }
      await page.waitForFunction((n) => (globalThis as unknown as PageGlobals).wick.predictions > n, before);
      await page.waitForTimeout(200);
      const guess = await page.evaluate(() => (globalThis as unknown as PageGlobals).wick.lastPrediction?.digit);
      expect({ digit: i, read: guess }).toEqual({ digit: i, read: set.labels[i] });
    }
    // The page after training, with the last digit drawn: the README's picture.
    mkdirSync(artifacts, { recursive: true });
    await page.screenshot({ path: join(artifacts, 'page.png'), fullPage: true });
  }, 120_000);

  test('the downloaded model.safetensors loads in Node and gets the accuracy the page reported', async () => {
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#download')]);
    const dir = mkdtempSync(join(tmpdir(), 'wick-page-'));
    try {
      const file = join(dir, 'model.safetensors');
      await download.saveAs(file);
      const model = new MLP(PIXELS, 128, 10);
      model.loadStateDict(load(file));
      model.eval();
      const { test: set } = digits();
      const guess = noGrad(() => model.forward(tensor(set.images, { shape: [set.count, PIXELS] })).argmax(1)).dataSync();
      const correct = guess.filter((g, i) => g === set.labels[i]).length;
      expect(correct / set.count).toBe(await page.evaluate(() => (globalThis as unknown as PageGlobals).wick.testAcc));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);

  test("a model.safetensors written by pnpm train: the page's predictions equal Node's", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wick-page-'));
    try {
      run(['examples/dist/train.js', '--epochs', '1', '--hidden', '32', '--out', dir]);
      const file = join(dir, 'model.safetensors');
      await page.setInputFiles('#file', file);
      await page.locator('#status', { hasText: 'Loaded a mlp' }).waitFor();
      const model = new MLP(PIXELS, 32, 10);
      model.loadStateDict(load(file));
      model.eval();
      const { test: set } = digits();
      for (let i = 0; i < 5; i++) {
        const before = await page.evaluate(() => (globalThis as unknown as PageGlobals).wick.predictions);
        await page.click('#sample');
        await page.waitForFunction((n) => (globalThis as unknown as PageGlobals).wick.predictions > n, before);
        const got = await page.evaluate(() => (globalThis as unknown as PageGlobals).wick.lastPrediction?.probabilities as number[]);
        const want = noGrad(() => model.forward(tensor(set.images.slice(i * PIXELS, (i + 1) * PIXELS), { shape: [1, PIXELS] })).softmax(1));
        testing.assertClose(tensor(got, { shape: [1, 10] }), want, { rtol: 1e-5, atol: 1e-6 });
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);

  test('the CNN trains on two threads where there are two cores; pause holds it, stop ends it', async () => {
    const wick = () => page.evaluate(() => (globalThis as unknown as PageGlobals).wick);
    const { threads } = await wick();
    await page.selectOption('#model', 'cnn');
    expect(await page.inputValue('#lr')).toBe('1');
    await page.fill('#epochs', '1');
    await page.click('#train');
    await page.waitForFunction(() => (globalThis as unknown as PageGlobals).wick.losses.length >= 3, null, { timeout: 60_000 });
    await page.click('#pause');
    await page.waitForTimeout(1500);
    const held = (await wick()).losses.length;
    await page.waitForTimeout(1500);
    expect((await wick()).losses.length).toBe(held);
    await page.click('#pause');
    await page.waitForFunction((n) => (globalThis as unknown as PageGlobals).wick.losses.length >= n + 5, held, { timeout: 60_000 });
    await page.click('#stop');
    await page.locator('#status', { hasText: 'Stopped' }).waitFor({ timeout: 60_000 });
    const s = await wick();
    expect(s.trainingThreads).toBe(threads);
    expect(s.losses.length).toBeLessThan(125);
    console.log(`CNN training step in the page, median: ${median(s.stepMs).toFixed(1)} ms on ${s.trainingThreads} thread(s)`);
  }, 180_000);

  test('fits a phone: nothing wider than a 390-pixel screen', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    const widths = await page.evaluate(() => {
      const root = (globalThis as unknown as { document: { documentElement: { scrollWidth: number; clientWidth: number } } }).document.documentElement;
      return { scroll: root.scrollWidth, client: root.clientWidth };
    });
    expect(widths.scroll).toBeLessThanOrEqual(widths.client);
    await page.screenshot({ path: join(artifacts, 'page-phone.png'), fullPage: true });
  });
});
