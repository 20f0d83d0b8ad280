/**
 * Share and open results: the permalink (src/lab/permalink.ts — exactly the links the CLI
 * prints), and results files or merged files of several runs (drag-and-drop or file input).
 * Every input is untrusted: sizes are capped before parsing and the value is validated against
 * the schema (a merged file: every run, or none of it is shown).
 */
import { isMerged, type LabMergedV1, validateMerged } from '../lab/merged';
import { type Decoded, decodePermalink, permalinkFor } from '../lab/permalink';
import { type LabResultsV1, validateResults } from '../lab/results';

/** Largest results file the page reads (a full run is ~100 KiB). */
export const MAX_IMPORT_BYTES = 8 * 1024 * 1024;

export type Opened = Decoded;

/** The permalink of results or a merged file, or why there is none (too large for a link that opens). */
export async function shareLink(
  value: LabResultsV1 | LabMergedV1,
  base = location.origin + location.pathname,
  limits?: Parameters<typeof permalinkFor>[1],
): Promise<{ ok: true; url: string } | { ok: false; error: string }> {
  const link = await permalinkFor(value, limits);
  return link.ok ? { ok: true, url: `${base.replace(/#.*$/, '')}#${link.hash}` } : link;
}

export function openHash(hash: string): Promise<Opened> {
  return decodePermalink(hash);
}

export function parseResultsText(text: string): Opened {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return { ok: false, error: 'not JSON' };
  }
  if (isMerged(parsed)) {
    const m = validateMerged(parsed);
    return m.ok
      ? { ok: true, merged: m.value }
      : { ok: false, error: `not a valid merged lab file: ${m.errors.slice(0, 5).join('; ')}` };
  }
  const v = validateResults(parsed);
  return v.ok
    ? { ok: true, results: v.value }
    : { ok: false, error: `not valid lab results: ${v.errors.slice(0, 5).join('; ')}` };
}

export async function openFile(file: File): Promise<Opened> {
  if (file.size > MAX_IMPORT_BYTES)
    return { ok: false, error: `${file.name}: too large (${file.size} bytes > ${MAX_IMPORT_BYTES})` };
  const r = parseResultsText(await file.text());
  return r.ok ? r : { ok: false, error: `${file.name}: ${r.error}` };
}

/** Wires a drop zone and a file input to `onFile`. */
export function wireDrop(zone: HTMLElement, input: HTMLInputElement, onFiles: (files: File[]) => void): void {
  const stop = (e: Event) => {
    e.preventDefault();
    e.stopPropagation();
  };
  zone.addEventListener('dragover', (e) => {
    stop(e);
    zone.classList.add('over');
  });
  zone.addEventListener('dragleave', () => zone.classList.remove('over'));
  zone.addEventListener('drop', (e) => {
    stop(e);
    zone.classList.remove('over');
    const files = [...(e.dataTransfer?.files ?? [])];
    if (files.length) onFiles(files);
  });
  input.addEventListener('change', () => {
    const files = [...(input.files ?? [])];
    if (files.length) onFiles(files);
    input.value = '';
  });
}
