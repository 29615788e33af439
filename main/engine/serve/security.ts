/**
 * Who may talk to `serve`: Host checks stop DNS rebinding, Origin checks stop cross-site pages,
 * and off loopback a bearer token (generated at start, printed once) is required.
 */
import crypto from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import net from 'node:net';
import os from 'node:os';

export function isLoopback(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '');
  return h === 'localhost' || h === '::1' || (net.isIPv4(h) && h.startsWith('127.'));
}

export function generateToken(): string {
  return crypto.randomBytes(24).toString('base64url');
}

function sameToken(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && crypto.timingSafeEqual(a, b);
}

export interface AccessPolicy {
  /** host:port pairs the server answers to (its bound address and, on loopback, localhost names). */
  allowedHosts: Set<string>;
  token: string | null;
}

export function buildAccessPolicy(bindHost: string, port: number, token: string | null): AccessPolicy {
  const hosts = new Set<string>();
  const add = (h: string) => hosts.add(`${h.includes(':') && !h.startsWith('[') ? `[${h}]` : h}:${port}`.toLowerCase());
  add(bindHost);
  if (isLoopback(bindHost) || bindHost === '0.0.0.0' || bindHost === '::') {
    ['localhost', '127.0.0.1', '::1'].forEach(add);
  }
  if (bindHost === '0.0.0.0' || bindHost === '::') {
    // Bound to every interface: accept this machine's own addresses as Host.
    for (const list of Object.values(os.networkInterfaces())) {
      for (const addr of list ?? []) add(addr.address);
    }
  }
  return { allowedHosts: hosts, token };
}

export type Refusal = { status: 400 | 403 | 401; message: string } | null;

/** Fetch metadata values a page of this server (or a typed URL, bookmark) sends. */
const OWN_FETCH_SITES = new Set(['same-origin', 'none']);

/**
 * Without an Origin header (older browsers, some GET-like requests), the browser's other
 * witnesses of where a request comes from: Sec-Fetch-Site, then Referer.
 */
function checkWithoutOrigin(req: IncomingMessage, host: string): Refusal {
  const site = req.headers['sec-fetch-site'];
  if (typeof site === 'string' && !OWN_FETCH_SITES.has(site.toLowerCase())) {
    return { status: 403, message: `Cross-site request refused (Sec-Fetch-Site: ${site})` };
  }
  const referer = req.headers.referer;
  if (referer !== undefined) {
    let refererHost: string | null;
    try {
      refererHost = new URL(referer).host.toLowerCase();
    } catch {
      refererHost = null;
    }
    if (refererHost !== host) return { status: 403, message: 'Cross-site request refused (Referer is another site)' };
  }
  return null;
}

/** Checks Host, Origin (or, without one, Sec-Fetch-Site and Referer) and the token; `null` means allowed. */
export function checkRequest(req: IncomingMessage, url: URL, policy: AccessPolicy, isApi: boolean): Refusal {
  const host = (req.headers.host ?? '').trim().toLowerCase();
  if (!host) return { status: 400, message: 'Missing Host header' };
  if (!policy.allowedHosts.has(host)) {
    return { status: 403, message: `Host "${host}" is not served here (DNS rebinding protection)` };
  }
  const origin = req.headers.origin;
  if (origin !== undefined && origin !== 'null') {
    let originHost: string;
    try {
      originHost = new URL(origin).host.toLowerCase();
    } catch {
      return { status: 403, message: `Malformed Origin "${origin}"` };
    }
    if (originHost !== host) return { status: 403, message: `Cross-origin request from ${origin} refused` };
  } else if (origin === 'null') {
    return { status: 403, message: 'Requests from opaque origins are refused' };
  } else if (isApi) {
    // API calls only: a link from another site to the studio's page may still open it.
    const refusal = checkWithoutOrigin(req, host);
    if (refusal) return refusal;
  }
  if (isApi && policy.token) {
    const header = req.headers.authorization ?? '';
    const given = header.startsWith('Bearer ') ? header.slice(7) : (url.searchParams.get('token') ?? '');
    if (!given || !sameToken(given, policy.token)) {
      return { status: 401, message: 'Missing or wrong access token (printed by `metacot serve` at start)' };
    }
  }
  return null;
}
