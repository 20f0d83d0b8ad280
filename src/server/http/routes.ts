/**
 * The local server's route table: which paths it owns. The router (router.ts), the lab hooks
 * (lab.ts) and the dev/preview proxy (src/ui/serve-plugin.ts) all read it from here, so a new
 * route cannot reach the server directly yet miss the proxy.
 *
 * Pure data and functions, no Node imports: the Vite plugin imports it statically without loading
 * the server.
 */

/** First path segments of the Ably REST API (and the lab's `/lab/` hooks); never served as files. */
export const API_ROOTS = [
  'channels',
  'time',
  'keys',
  'apps',
  'messages',
  'stats',
  'lab',
  'push',
  'presence',
  'comet',
] as const;

/** Single-file routes outside the API roots: ably-js's connectivity check (`connectivityCheckUrl`). */
export const OTHER_ROUTES = ['is-the-internet-up.txt'] as const;

/**
 * The lab hooks under `/lab/` (lab.ts implements each, with the method given here). Any other
 * `/lab/…` path is not the server's in dev: Vite serves the page's own `src/lab/*.ts` there.
 */
export const LAB_HOOKS = {
  metrics: 'GET',
  'metrics/reset': 'POST',
  connections: 'GET',
  'connections/drop': 'POST',
  'connections/delay': 'POST',
  'connections/pause': 'POST',
  'connections/resume': 'POST',
  'connections/discard-next': 'POST',
  'channels/blast': 'POST',
} as const satisfies Record<string, 'GET' | 'POST'>;

export type LabHook = keyof typeof LAB_HOOKS;

export function isApiRoot(segment: string | undefined): boolean {
  return segment !== undefined && (API_ROOTS as readonly string[]).includes(segment);
}

/** `metrics/reset` → the hook; anything else (including the page's `results.ts`) → undefined. */
export function labHook(path: string): LabHook | undefined {
  return Object.hasOwn(LAB_HOOKS, path) ? (path as LabHook) : undefined;
}

/**
 * Whether an HTTP request path (query ignored) belongs to the server when another server (Vite)
 * shares the origin: the API roots, the single-file routes, and under `/lab/` the hooks only.
 */
export function isServerPath(url: string): boolean {
  const path = url.split('?')[0] ?? '';
  const first = path.split('/')[1] ?? '';
  if (first === 'lab') return labHook(path.slice('/lab/'.length)) !== undefined;
  if ((OTHER_ROUTES as readonly string[]).includes(path.slice(1))) return true;
  return isApiRoot(first);
}
