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

export type Refusal = { status: 403 | 401; message: string } | null;

/** Checks Host, Origin and (when required) the token; `null` means allowed. */
export function checkRequest(req: IncomingMessage, url: URL, policy: AccessPolicy, needsAuth: boolean): Refusal {
  const host = (req.headers.host ?? '').toLowerCase();
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
  }
  if (needsAuth && policy.token) {
    const header = req.headers.authorization ?? '';
    const given = header.startsWith('Bearer ') ? header.slice(7) : (url.searchParams.get('token') ?? '');
    if (!given || !sameToken(given, policy.token)) {
      return { status: 401, message: 'Missing or wrong access token (printed by `metacot serve` at start)' };
    }
  }
  return null;
}
