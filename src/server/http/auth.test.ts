import { mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { Lab } from '../test/helpers.ts';

let lab: Lab;
let outside: string;
beforeAll(async () => {
  const root = mkdtempSync(join(tmpdir(), 'lab-static-'));
  outside = mkdtempSync(join(tmpdir(), 'lab-outside-'));
  writeFileSync(join(outside, 'secret.txt'), 'not for the web');
  writeFileSync(join(root, 'index.html'), '<!doctype html>');
  symlinkSync(join(outside, 'secret.txt'), join(root, 'link.txt'));
  symlinkSync(outside, join(root, 'linkdir'));
  lab = await Lab.start({ staticDir: root });
});
afterAll(() => lab.close());

test('RSA1 "Authorization: Basic" with nothing after it: 401 40101 naming the problem', async () => {
  for (const h of ['Basic', 'Basic ', 'Bearer']) {
    const r = await fetch(`${lab.server.url}/channels/x/messages`, { headers: { authorization: h } });
    const body = (await r.json()) as { error: { code: number; message: string } };
    expect(r.status, h).toBe(401);
    expect(body.error.code).toBe(40101);
    expect(body.error.message).not.toMatch(/Unsupported Authorization scheme/);
  }
});

test('--static never serves a file through a symlink that leaves its root', async () => {
  expect((await fetch(`${lab.server.url}/index.html`)).status).toBe(200);
  for (const path of ['/link.txt', '/linkdir/secret.txt']) {
    const r = await fetch(`${lab.server.url}${path}`);
    expect(r.status, path).toBe(404);
    expect(await r.text()).not.toContain('not for the web');
  }
});
