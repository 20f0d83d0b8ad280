import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

/**
 * The Rust SDK ships as two wasm modules (scripts/build-wasm.sh): realtime, which cold start and
 * the realtime scenarios load, and REST, fetched on the first REST client. Neither may carry the
 * other's client, and the adapter may only import REST lazily, or the split saves nothing.
 */
const pkg = (path: string) => readFileSync(new URL(`../../rust-wasm/pkg/${path}`, import.meta.url), 'utf8');

describe('the Rust SDK modules', () => {
  it('realtime carries RealtimeClient and no REST client', () => {
    const glue = pkg('realtime/ably_realtime.js');
    expect(glue).toMatch(/export class RealtimeClient\b/);
    expect(glue).not.toMatch(/RestClient|restclient_/);
  });

  it('REST carries RestClient and no realtime client', () => {
    const glue = pkg('rest/ably_rest.js');
    expect(glue).toMatch(/export class RestClient\b/);
    expect(glue).not.toMatch(/RealtimeClient|realtimeclient_/);
  });

  it('the adapter imports the REST module only dynamically', () => {
    const adapter = readFileSync(new URL('./rust.ts', import.meta.url), 'utf8');
    const staticImports = [...adapter.matchAll(/^import\s+(?!type\b)[^;]*from\s+'([^']+)'/gm)].map((m) => m[1]);
    expect(staticImports.filter((s) => s!.includes('rust-wasm/'))).toEqual([]);
    expect(adapter).toContain("import('../../rust-wasm/pkg/rest/ably_rest.js')");
  });
});
