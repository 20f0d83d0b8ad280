/**
 * Share and open results: the permalink (src/lab/permalink.ts — exactly the links the CLI
 * prints), and results files (drag-and-drop or file input). Every input is untrusted: sizes are
 * capped before parsing and the value is validated against the schema.
 */
import { decodePermalink, permalinkUrl } from '../lab/permalink';
import { type LabResultsV1, validateResults } from '../lab/results';

/** Largest results file the page reads (a full run is ~100 KiB). */
export const MAX_IMPORT_BYTES = 8 * 1024 * 1024;

export type Opened = { ok: true; results: LabResultsV1 } | { ok: false; error: string };

export async function shareUrl(results: LabResultsV1, base = location.origin + location.pathname): Promise<string> {
  return permalinkUrl(base, results);
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
