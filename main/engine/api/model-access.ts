/**
 * Which models a `serve` client may name, checked once here at the API boundary for every
 * method that builds a policy or scorer (start, resume, autolabel): bundled models, folders under
 * the server's models folder (`--models DIR`), and endpoints the server was started with
 * (`--allow-endpoint URL`). Names without a path or URL (enumerator, exact, rollout:8) pass.
 * A refusal reads the same for a model that is missing and one that is not allowed, and no file is
 * opened before the name is admitted, so no reply can reveal what exists or what a file holds.
 */
import fs from 'node:fs';
import path from 'node:path';
import { ApiError } from '../../../common/contract/define';
import { realTarget } from '../files/path-policy';
import { normalizeEndpoint } from '../models/endpoint-keys';
import { bundledModels } from '../models/resolve';
import { splitProviderName } from '../providers';

export interface ModelAccess {
  /** Folder whose model folders clients may name; null: bundled models and endpoints only. */
  modelsDir: string | null;
  /** Endpoint base URLs clients may name (normalised by normalizeEndpoint). */
  endpoints: string[];
}

function notAvailable(what: string, name: string): ApiError {
  return new ApiError(
    'forbidden',
    `${what} "${name}" is not available on this server: it offers the bundled models (${bundledModels().join(', ') || 'none'}), ` +
      'model folders under its --models folder and the endpoints it was started with (--allow-endpoint)',
  );
}

function withoutOptions(arg: string): { spec: string; options: string } {
  const q = arg.indexOf('?');
  return q < 0 ? { spec: arg, options: '' } : { spec: arg.slice(0, q), options: arg.slice(q) };
}

/** The absolute folder of a model under the models folder, or null when there is none there. */
function folderUnder(modelsDir: string | null, spec: string): string | null {
  if (!modelsDir || spec.includes('\0')) return null;
  const folder = path.resolve(modelsDir, spec);
  try {
    const real = realTarget(folder, 'model');
    const rel = path.relative(realTarget(modelsDir, 'models folder'), real);
    if (rel === '' || rel.startsWith('..') || path.isAbsolute(rel)) return null;
    return fs.statSync(real).isDirectory() ? folder : null;
  } catch {
    return null;
  }
}

/**
 * Admits a policy or scorer name under the access rules and returns the name to store (a model
 * folder becomes `onnx:<absolute folder>` so a worker thread finds the same one).
 */
export function admitModelName(access: ModelAccess, name: string, what: 'policy' | 'scorer'): string {
  const trimmed = name.trim();
  const url = /https?:\/\/\S*/i.exec(trimmed)?.[0];
  if (url !== undefined) {
    const endpoint = normalizeEndpoint(url);
    if (endpoint && access.endpoints.includes(endpoint)) return trimmed;
    throw notAvailable(what, name);
  }
  const { kind, arg } = splitProviderName(trimmed);
  const bundled = new Set(bundledModels());
  if (bundled.has(kind)) return trimmed;
  if (kind === 'onnx' && arg !== undefined) {
    const { spec, options } = withoutOptions(arg);
    if (bundled.has(spec)) return trimmed;
    const folder = folderUnder(access.modelsDir, spec);
    if (folder) return `onnx:${folder}${options}`;
    throw notAvailable(what, name);
  }
  // Any other kind whose argument looks like a path is refused: only onnx: reads model folders.
  if (arg !== undefined && /[/\\~]|^\./.test(arg)) throw notAvailable(what, name);
  if (arg === undefined && /[/\\]|^[.~]/.test(kind)) throw notAvailable(what, name);
  return trimmed;
}

/** admitModelName for an optional name, a no-op where the engine has no access rules (desktop, CLI). */
export function admitOptional(access: ModelAccess | undefined, name: string | null | undefined, what: 'policy' | 'scorer'): string | undefined {
  if (name === undefined || name === null) return undefined;
  return access ? admitModelName(access, name, what) : name;
}
