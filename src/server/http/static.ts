import { createReadStream } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { Errors } from '../errors.ts';

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.map': 'application/json',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
  '.woff2': 'font/woff2',
};

/** Serves the built lab (Vite `dist/`) from the same origin; `/` → index.html. GET/HEAD only. */
export async function serveStatic(
  root: string,
  req: IncomingMessage,
  res: ServerResponse,
  pathname: string,
): Promise<void> {
  let rel: string;
  try {
    rel = decodeURIComponent(pathname);
  } catch {
    throw Errors.badRequest('Bad path encoding');
  }
  if (rel.endsWith('/')) rel += 'index.html';
  const base = resolve(root);
  const file = normalize(join(base, rel));
  if (file !== base && !file.startsWith(base + sep)) throw Errors.notFound('Not found');
  let st: Awaited<ReturnType<typeof stat>>;
  let real: string;
  try {
    // symlinks are resolved and must stay inside the (resolved) root, like the path itself
    const realBase = await realpath(base);
    real = await realpath(file);
    if (real !== realBase && !real.startsWith(realBase + sep)) throw new Error('outside the root');
    st = await stat(real);
  } catch {
    throw Errors.notFound(`Not found: ${pathname}`);
  }
  if (!st.isFile()) throw Errors.notFound(`Not found: ${pathname}`);
  res.writeHead(200, {
    'Content-Type': MIME[extname(file).toLowerCase()] ?? 'application/octet-stream',
    'Content-Length': st.size,
    'Cache-Control': 'no-cache',
  });
  if (req.method === 'HEAD') {
    res.end();
    return;
  }
  const stream = createReadStream(real);
  stream.on('error', () => res.destroy());
  stream.pipe(res);
}
