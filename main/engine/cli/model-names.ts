/**
 * What a user typed for --policy / --scorer, as a run stores it. A model folder is stored as
 * `onnx:<absolute folder>`, so `autolabel --method scorer`, a resumed run or a worker thread
 * finds the same model from any working folder; a bare folder path (as `metacot model check`
 * takes it) is read as that folder. Bundled names, stand-ins and endpoints pass unchanged.
 */
import path from 'node:path';
import { resolveModel } from '../models/resolve';
import { splitOptions } from '../models/register';
import { defaultProviders, splitProviderName } from '../providers';
import { CliError } from './util';

/** The model folder a spec names, absolute, or null when it names a bundled model or no folder. */
function userFolder(specWithOptions: string): string | null {
  try {
    const { spec } = splitOptions(specWithOptions);
    const model = resolveModel(spec);
    return model.kind === 'folder' && model.bundled === null ? model.dir + specWithOptions.slice(spec.length) : null;
  } catch {
    return null; // not a model: the provider check that follows says what is wrong
  }
}

export function storedProviderName(value: string, what: 'policy' | 'scorer'): string {
  const trimmed = value.trim();
  const { kind, arg } = splitProviderName(trimmed);
  if (kind === 'onnx' && arg) {
    const folder = userFolder(arg);
    return folder === null ? trimmed : `onnx:${folder}`;
  }
  if (defaultProviders().has(kind)) return trimmed;
  const folder = userFolder(trimmed);
  if (folder !== null) return `onnx:${folder}`;
  if (/[/\\]|^\.|^~/.test(trimmed)) {
    throw new CliError(`--${what} ${trimmed}: no model folder at ${path.resolve(trimmed)} (a model is a folder: --${what} onnx:<folder>)`);
  }
  return trimmed;
}
