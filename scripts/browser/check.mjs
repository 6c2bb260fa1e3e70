// Runs @wick/core and @wick/nn in headless Chromium: serves the built packages on 127.0.0.1,
// loads scripts/browser/check.html, and prints what the page reports (backends, a short training
// run on each, whether they agree). Needs `pnpm build` first and Debian's chromium
// (apt-get install chromium); not part of `pnpm test`, which must run where only Node exists.
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { execFile } from 'node:child_process';
import { dirname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const server = createServer(async (req, res) => {
  const path = normalize(decodeURIComponent(new URL(req.url, 'http://x').pathname));
  try {
    const body = await readFile(join(root, path === '/' ? 'scripts/browser/check.html' : path));
    res.writeHead(200, { 'content-type': path.endsWith('.html') || path === '/' ? 'text/html' : 'text/javascript' });
    res.end(body);
  } catch {
    res.writeHead(404);
    res.end();
  }
});
server.listen(0, '127.0.0.1', () => {
  const { port } = server.address();
  const flags = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync',
    `--user-data-dir=${join(root, 'runs', 'chromium-profile')}`, '--virtual-time-budget=60000', '--dump-dom'];
  execFile('/usr/bin/chromium', [...flags, `http://127.0.0.1:${port}/`], { timeout: 120000 }, (error, stdout) => {
    server.close();
    const report = /<pre id="out">([\s\S]*?)<\/pre>/.exec(stdout)?.[1] ?? `no report (${error?.message ?? 'empty page'})`;
    console.log(report.replace(/&gt;/g, '>').replace(/&lt;/g, '<').replace(/&amp;/g, '&'));
    process.exitCode = report.includes('RESULT: ok') ? 0 : 1;
  });
});
