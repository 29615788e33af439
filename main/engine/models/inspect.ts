/**
 * Loads a model folder as whatever it is (causal LM, process reward model or value model) and
 * describes it, for `metacot model check`: a user learns in seconds whether their model works.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { InferenceSession } from 'onnxruntime-node';
import { CausalLM } from './causal-lm';
import { readModelFolder, type ModelFolder } from './folder';
import { OnnxScorer } from './scorer';
import { openSession, type SessionOptions } from './session';

export interface TensorInfo {
  name: string;
  type: string;
  shape: (number | string)[];
}

export interface ModelDescription {
  folder: ModelFolder;
  /** Graph file and the external weight files beside it. */
  files: string[];
  inputs: TensorInfo[];
  outputs: TensorInfo[];
}

export type LoadedModel = ({ kind: 'causal-lm'; model: CausalLM } | { kind: 'scorer'; model: OnnxScorer }) & ModelDescription;

const info = (list: readonly InferenceSession.ValueMetadata[]): TensorInfo[] =>
  list.map((m) => (m.isTensor ? { name: m.name, type: m.type, shape: [...m.shape] } : { name: m.name, type: 'non-tensor', shape: [] }));

/** A decoder takes a KV cache, or returns one score per vocabulary entry per position. */
function looksLikeDecoder(folder: ModelFolder, session: InferenceSession): boolean {
  if (folder.layout === 'genai') return true;
  if (session.inputNames.some((n) => /^past_/.test(n))) return true;
  const logits = session.outputMetadata.find((m) => m.name === 'logits') ?? session.outputMetadata[0];
  if (!logits?.isTensor || logits.shape.length !== 3) return false;
  const last = logits.shape[2];
  return typeof last === 'number' ? last > 16 : folder.architectures.some((a) => a.endsWith('ForCausalLM'));
}

export async function loadAnyModel(dir: string, options: SessionOptions = {}): Promise<LoadedModel> {
  const folder = readModelFolder(dir);
  const session = await openSession(folder.onnxPath, options);
  const graphDir = path.dirname(folder.onnxPath);
  const base = path.basename(folder.onnxPath);
  const files = [folder.onnxPath, ...fs.readdirSync(graphDir).filter((n) => n !== base && n.startsWith(base) && /(_data|\.data)$/.test(n)).map((n) => path.join(graphDir, n))];
  const description = { folder, files, inputs: info(session.inputMetadata), outputs: info(session.outputMetadata) };
  if (looksLikeDecoder(folder, session)) {
    return { kind: 'causal-lm', model: await CausalLM.load(dir, { ...options, session }), ...description };
  }
  return { kind: 'scorer', model: await OnnxScorer.load(dir, { ...options, session }), ...description };
}
