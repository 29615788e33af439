/**
 * `metacot model check MODEL`: loads a model folder (or a bundled model, or an OpenAI-compatible
 * endpoint), prints what it found and generates from a prompt, so a user can tell in seconds
 * whether their model works with the studio.
 */
import path from 'node:path';
import type { Command } from 'commander';
import { ModelError } from '../../models/errors';
import { StepGenerator } from '../../models/generate';
import { loadAnyModel, type LoadedModel, type TensorInfo } from '../../models/inspect';
import { OpenAiCompletions } from '../../models/openai';
import { resolveModel } from '../../models/resolve';
import { CliError, parseIntOption } from '../util';

interface CheckOptions {
  prompt: string;
  maxTokens: number;
  stop?: string;
  temperature: number;
  seed: number;
  chat?: boolean;
}

const DEFAULT_PROMPT = '24:[4, 9, 3, 2]\n';

const shape = (t: TensorInfo) => `${t.name} ${t.type}[${t.shape.join(',')}]`;
const show = (s: string) => JSON.stringify(s);

function parseTemperature(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0 || n > 10) throw new CliError(`--temperature must be a number from 0 to 10, got "${value}"`);
  return n;
}

function printGraph(m: LoadedModel, say: (line: string) => void): void {
  const f = m.folder;
  const layout = f.layout === 'hf' ? 'Hugging Face / optimum' : 'onnxruntime-genai';
  say(`model       ${f.dir}`);
  say(`layout      ${layout} (${path.basename(f.configPath)}), graph ${m.files.map((x) => path.relative(f.dir, x)).join(' + ')}`);
  say(`inputs      ${m.inputs.map(shape).join(', ')}`);
  say(`outputs     ${m.outputs.map(shape).join(', ')}`);
}

async function checkLocal(dir: string, o: CheckOptions, say: (line: string) => void): Promise<void> {
  const loaded = await loadAnyModel(dir);
  try {
    printGraph(loaded, say);
    if (loaded.kind === 'scorer') {
      const scorer = loaded.model;
      say(`kind        ${scorer.kind === 'process' ? 'process reward model (token classification, score at each step separator)' : 'value model (one score per path)'}`);
      say(`separator   ${show(scorer.stepSeparator)}`);
      say(`vocabulary  ${scorer.tokenizer.vocabSize} tokens`);
      // The prompt's first line is the problem, each further line a step.
      const [problem = '', ...steps] = o.prompt.split('\n').filter((l) => l.length > 0);
      if (scorer.kind === 'process' && steps.length === 0) {
        say('score       no step to score: give --prompt with the problem on line 1 and one step per further line');
        return;
      }
      const [scores] = await scorer.score([{ prompt: `${problem}\n`, steps }]);
      say(`score       ${scores!.score.toFixed(4)}${scores!.stepScores.length ? ` (steps: ${scores!.stepScores.map((x) => x.toFixed(4)).join(', ')})` : ''}`);
      return;
    }
    const lm = loaded.model;
    const s = lm.signature;
    const heads = lm.folder.numHeads ? `${lm.folder.numHeads} attention, ${s.kvHeads} key/value` : `${s.kvHeads} key/value`;
    const kv = !s.kv
      ? 'none (every token re-encodes the sequence)'
      : `${s.kvType}, ${s.kv.kind === 'separate' ? `${s.kv.pastKey[0]} ... (key and value apart)` : `${s.kv.past[0]} ... (key and value stacked)`}`;
    say('kind        causal language model (policy)');
    say(`layers      ${s.numLayers || lm.folder.numLayers || '?'}, heads ${heads}, head size ${s.headDim || '?'}`);
    say(`vocabulary  ${lm.tokenizer.vocabSize} tokens (logits ${lm.vocabSize}), ids ${s.idsType}, position_ids ${s.positionIds ? 'yes' : 'no'}`);
    say(`KV cache    ${kv}`);
    say(`special     eos ${lm.tokenizer.eosTokenIds.join(', ') || 'none'}, bos ${lm.tokenizer.bosTokenId ?? 'none'}, chat template ${lm.tokenizer.hasChatTemplate ? 'yes' : 'no'}`);
    const text = o.chat ? lm.tokenizer.applyChatTemplate([{ role: 'user', content: o.prompt }]) : o.prompt;
    const ids = lm.tokenizer.encode(text, true);
    if (ids.length === 0) throw new CliError('the prompt encodes to no tokens; give one with --prompt');
    const start = performance.now();
    const [step] = await new StepGenerator(lm, null).sampleSteps(ids, 1, { delimiter: o.stop ?? null, maxTokens: o.maxTokens, seed: o.seed, temperature: o.temperature });
    const ms = performance.now() - start;
    say(`prompt      ${show(text)} (${ids.length} tokens)`);
    say(`generated   ${show(step!.text)}`);
    say(
      `            ${step!.tokenIds.length} tokens in ${ms.toFixed(0)} ms (${((step!.tokenIds.length / ms) * 1000).toFixed(1)} tokens/s, prompt included), ` +
        `stop: ${step!.stop}, logprob ${step!.logprob.toFixed(2)}`,
    );
  } finally {
    await loaded.model.release();
  }
}

async function checkEndpoint(baseUrl: string, model: string | null, o: CheckOptions, say: (line: string) => void): Promise<void> {
  const client = new OpenAiCompletions({ baseUrl, model, retries: 1, timeoutMs: 30_000 });
  say(`endpoint    ${client.root}/completions`);
  say(`model       ${await client.modelName()}`);
  const start = performance.now();
  const [step] = await client.sampleSteps(o.prompt, 1, { delimiter: o.stop ?? null, maxTokens: o.maxTokens, seed: o.seed, temperature: o.temperature });
  say(`prompt      ${show(o.prompt)}`);
  say(`generated   ${show(step!.text)}`);
  say(`            ${step!.tokenCount} tokens in ${(performance.now() - start).toFixed(0)} ms, stop: ${step!.stop}, logprob ${step!.logprob.toFixed(2)}`);
}

export function registerModel(program: Command): void {
  const model = program.command('model').description('Inspect the models search uses (ONNX folders, bundled models, HTTP endpoints)');
  model
    .command('check <model>')
    .description('Load a model (folder, bundled name or http(s) URL[#name]), print what was found and generate from a prompt')
    .option('--prompt <text>', 'text to continue (a scorer reads line 1 as the problem, later lines as steps)', DEFAULT_PROMPT)
    .option('--max-tokens <n>', 'tokens to generate', parseIntOption('max-tokens', 1, 4096), 32)
    .option('--stop <text>', 'stop at this text (e.g. the step delimiter)')
    .option('--temperature <t>', '0 = greedy', parseTemperature, 0)
    .option('--seed <n>', 'sampling seed', parseIntOption('seed', 0), 0)
    .option('--chat', "wrap the prompt in the model's chat template")
    .action(async (spec: string, o: CheckOptions) => {
      const say = (line: string) => process.stdout.write(`${line}\n`);
      try {
        const resolved = resolveModel(spec);
        if (resolved.kind === 'http') await checkEndpoint(resolved.baseUrl, resolved.model, o, say);
        else await checkLocal(resolved.dir, o, say);
      } catch (error) {
        if (error instanceof ModelError) throw new CliError(error.message);
        throw error;
      }
    });
}
