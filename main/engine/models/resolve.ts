/**
 * What a `--policy` / `--scorer` value names: an http(s) endpoint (`URL` or `URL#model`), a
 * model folder on disk, or a model bundled with the studio (resources/models/<name>/).
 */
import fs from 'node:fs';
import path from 'node:path';
import { RESOURCES_DIR } from '../paths';
import { ModelError } from './errors';

export type ResolvedModel =
  | { kind: 'folder'; dir: string; bundled: string | null }
  | { kind: 'http'; baseUrl: string; model: string | null };

export const BUNDLED_MODELS_DIR = path.join(RESOURCES_DIR, 'models');

/** Names of the models shipped in resources/models/. */
export function bundledModels(dir = BUNDLED_MODELS_DIR): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
}

export function resolveModel(spec: string, options: { bundledDir?: string; cwd?: string } = {}): ResolvedModel {
  const value = spec.trim();
  if (value.length === 0) throw new ModelError('model is empty: give a bundled model name, a model folder or an http(s) URL');
  if (/^https?:\/\//i.test(value)) {
    const hash = value.indexOf('#');
    const baseUrl = hash >= 0 ? value.slice(0, hash) : value;
    const model = hash >= 0 ? decodeURIComponent(value.slice(hash + 1)) || null : null;
    try {
      new URL(baseUrl);
    } catch {
      throw new ModelError(`"${baseUrl}" is not a valid URL`, baseUrl);
    }
    return { kind: 'http', baseUrl, model };
  }
  if (/^[a-z]+:\/\//i.test(value)) throw new ModelError(`"${value}": only http:// and https:// endpoints are supported`, value);
  const bundledDir = options.bundledDir ?? BUNDLED_MODELS_DIR;
  const asPath = path.resolve(options.cwd ?? process.cwd(), value);
  const looksLikePath = value.includes('/') || value.includes(path.sep) || value.startsWith('.');
  if (fs.existsSync(asPath) && (looksLikePath || !fs.existsSync(path.join(bundledDir, value)))) {
    if (!fs.statSync(asPath).isDirectory()) throw new ModelError(`${asPath} is a file; a model is a folder (config.json or genai_config.json, tokenizer.json, the ONNX graph)`, asPath);
    return { kind: 'folder', dir: asPath, bundled: null };
  }
  if (!looksLikePath && /^[\w.-]+$/.test(value) && fs.existsSync(path.join(bundledDir, value))) {
    return { kind: 'folder', dir: path.join(bundledDir, value), bundled: value };
  }
  const names = bundledModels(bundledDir);
  throw new ModelError(
    `no model "${value}": not a folder (${asPath} does not exist), not a bundled model (bundled: ${names.length ? names.join(', ') : 'none installed'}), not an http(s) URL`,
    value,
  );
}
