// Serves the built page (examples/web/dist) on 127.0.0.1 with the headers that make it
// cross-origin isolated (COOP and COEP, which SharedArrayBuffer and so threads need), and prints
// its address. `pnpm web` builds the page and runs this; PORT picks the port (default 8080).
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { dirname, extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), 'dist');
const TYPES = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.bin': 'application/octet-stream', '.map': 'application/json' };

/** A static server for `dir` on 127.0.0.1:port (0: any free port); resolves to it once listening. */
export function serve(dir = root, port = Number(process.env.PORT ?? 8080)) {
  const server = createServer(async (req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname)).replace(/^(\.\.[/\\])+/, '');
    const file = join(dir, path === '/' ? 'index.html' : path);
    try {
      const body = await readFile(file);
      res.writeHead(200, {
        'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
        'cross-origin-opener-policy': 'same-origin',
        'cross-origin-embedder-policy': 'require-corp',
      });
      res.end(body);
    } catch {
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end(`not found: ${path}`);
    }
  });
  return new Promise((done) => server.listen(port, '127.0.0.1', () => done(server)));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const server = await serve();
  console.log(`Wick's page: http://127.0.0.1:${server.address().port}/ (Ctrl-C stops)`);
}
