/**
 * Request bodies under limits that answer at once: a declared Content-Length over the limit is
 * refused before a byte is read, a longer body is drained without being kept, and JSON nested
 * deeper than MAX_JSON_DEPTH is refused by a linear scan before JSON.parse, so no client can make
 * the server's one thread parse, validate or recurse through something huge.
 */
import type http from 'node:http';

export const MAX_BODY_BYTES = 8 * 1024 * 1024;
/** Deeper than any contract input needs (problem metadata, search config). */
export const MAX_JSON_DEPTH = 64;

export class BodyRefused extends Error {
  constructor(
    readonly status: 400 | 413,
    message: string,
  ) {
    super(message);
  }
}

const tooLarge = () => new BodyRefused(413, `Request body is over ${MAX_BODY_BYTES / 1024 / 1024} MB; send big imports as files (importData)`);

/** Refuses a body whose declared length is over the limit, before reading it. */
export function checkDeclaredLength(req: http.IncomingMessage): BodyRefused | null {
  const declared = Number(req.headers['content-length']);
  return Number.isFinite(declared) && declared > MAX_BODY_BYTES ? tooLarge() : null;
}

/** Reads a body up to the limit; past that it keeps draining (memory stays flat) and fails. */
export function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
      else chunks.length = 0;
    });
    req.on('end', () => (size > MAX_BODY_BYTES ? reject(tooLarge()) : resolve(Buffer.concat(chunks).toString('utf8'))));
    req.on('error', reject);
  });
}

/** Whether JSON text nests arrays/objects deeper than `max` (strings skipped); linear, no parse. */
export function jsonTooDeep(text: string, max = MAX_JSON_DEPTH): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > max) return true;
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return false;
}

/** The parsed JSON body of an API call ({} when empty), or a BodyRefused saying why not. */
export async function readJsonBody(req: http.IncomingMessage): Promise<unknown> {
  const text = await readBody(req);
  if (text.trim() === '') return {};
  if (jsonTooDeep(text)) throw new BodyRefused(400, `Request body nests deeper than ${MAX_JSON_DEPTH} levels`);
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new BodyRefused(400, `Request body is not valid JSON: ${(error as Error).message}`);
  }
}
