/**
 * Memory of an arm's worker after forced GC: the JS heap over CDP when the CLI hosts the page,
 * measureUserAgentSpecificMemory in a plain cross-origin-isolated page, plus the wasm linear
 * memory the Rust SDK reports itself (no browser API counts it). Runs in the page.
 */
import type { MemoryReading } from '../../lab/types';
import type { ArmSlot } from '../arms';
import type { LabHost } from '../contract';

/** measureUserAgentSpecificMemory bytes attributed to the worker's script URL (plain page). */
async function mUASM(scriptUrl: string): Promise<number | undefined> {
  const perf = performance as Performance & {
    measureUserAgentSpecificMemory?: () => Promise<{
      breakdown: { bytes: number; attribution: { url: string; scope: string }[] }[];
    }>;
  };
  if (!perf.measureUserAgentSpecificMemory || !self.crossOriginIsolated) return undefined;
  const r = await perf.measureUserAgentSpecificMemory();
  let bytes = 0;
  for (const b of r.breakdown) if (b.attribution.some((a) => a.url === scriptUrl)) bytes += b.bytes;
  return bytes;
}

export async function readMemory(s: ArmSlot, host: LabHost | undefined): Promise<MemoryReading> {
  await s.api.gc();
  const { reserved: wasmLinear, live: wasmLive } = await s.api.wasmMemory();
  const cross = await mUASM(s.scriptUrl).catch(() => undefined);
  if (host) {
    const h = await host.readMemory(s.scriptUrl);
    return {
      method: 'cdp',
      jsHeapUsed: h.jsHeapUsed,
      jsHeapTotal: h.jsHeapTotal,
      backing: h.backing,
      wasmLinear,
      wasmLive,
      ...(cross !== undefined ? { mUASM: cross } : {}),
    };
  }
  if (cross === undefined) throw new Error('no memory API: needs the CLI (CDP) or a cross-origin-isolated page');
  return { method: 'mUASM', jsHeapUsed: cross, jsHeapTotal: cross, backing: 0, wasmLinear, wasmLive, mUASM: cross };
}
