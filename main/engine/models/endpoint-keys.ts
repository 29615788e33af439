/**
 * Which endpoint may receive the user's API key. The key (METACOT_API_KEY, else OPENAI_API_KEY)
 * goes only to endpoints it is bound to: those listed in METACOT_API_KEY_ENDPOINTS (comma-separated
 * base URLs), which `metacot serve --allow-endpoint` and a URL typed on the command line add to.
 * A URL from anywhere else (an API request, a run stored in a database, an import file) is called
 * without the key, so a client cannot make the studio send it to a host of its choosing.
 * The binding lives in the environment so worker threads, which rebuild providers, see it too.
 */
export const KEY_ENDPOINTS_VAR = 'METACOT_API_KEY_ENDPOINTS';

/** `http(s)://host[:port]/path` without query, fragment or trailing slash; null when not a URL. */
export function normalizeEndpoint(url: string): string | null {
  const hash = url.indexOf('#');
  let parsed: URL;
  try {
    parsed = new URL(hash >= 0 ? url.slice(0, hash) : url);
  } catch {
    return null;
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return null;
  if (parsed.username || parsed.password) return null;
  return `${parsed.protocol}//${parsed.host}${parsed.pathname.replace(/\/+$/, '')}`;
}

function boundEndpoints(): Set<string> {
  const listed = (process.env[KEY_ENDPOINTS_VAR] ?? '').split(/[\s,]+/).filter(Boolean);
  return new Set(listed.map(normalizeEndpoint).filter((u): u is string => u !== null));
}

/** Binds the key to one more endpoint (for this process and the workers it starts afterwards). */
export function bindKeyToEndpoint(url: string): void {
  const normalized = normalizeEndpoint(url);
  if (!normalized) return;
  const bound = boundEndpoints();
  if (bound.has(normalized)) return;
  process.env[KEY_ENDPOINTS_VAR] = [...bound, normalized].join(',');
}

/** The key for this endpoint, or undefined where the key is not bound to it. */
export function endpointKeyFor(baseUrl: string): string | undefined {
  const key = process.env.METACOT_API_KEY ?? process.env.OPENAI_API_KEY;
  const normalized = normalizeEndpoint(baseUrl);
  if (!key || !normalized) return undefined;
  return boundEndpoints().has(normalized) ? key : undefined;
}
