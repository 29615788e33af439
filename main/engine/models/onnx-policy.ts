/**
 * The search's Policy backed by a local ONNX causal LM. Requests for the same path (siblings, or
 * rollouts from one node) are decoded as one batch; every path continues from the tree-aware KV
 * cache. A child's token path is remembered as its parent's tokens plus the sampled ones, so the
 * cache keys match exactly what the model saw; paths it never proposed are tokenized from text.
 */
import type { CallOptions, Policy, Proposal, ProposeRequest } from '../providers/types';
import { pathText } from '../tasks/text';
import type { CausalLM } from './causal-lm';
import { legalStepsConstraint } from './constraint';
import { ModelError } from './errors';
import { StepGenerator, type SampledStep } from './generate';
import { TreeKvCache } from './kv-cache';
import { mixSeed, type SamplingOptions } from './sampling';

export interface OnnxPolicyOptions extends SamplingOptions {
  maxTokens: number;
  /** Task-constrained decoding (needs a task with legalSteps). */
  constrained: boolean;
  /** Budget of the tree-aware KV cache in bytes; 0 re-encodes every path. */
  cacheBytes: number;
  /** Wrap the task prompt in the model's chat template (instruction-tuned models). */
  chat?: boolean;
}

/** Token paths of proposed children, bounded so a long run does not grow it forever. */
class PathMemo {
  private readonly map = new Map<string, number[]>();
  constructor(private readonly limit = 200_000) {}
  get(key: string): number[] | undefined {
    return this.map.get(key);
  }
  set(key: string, ids: number[]): void {
    this.map.delete(key);
    this.map.set(key, ids);
    if (this.map.size > this.limit) this.map.delete(this.map.keys().next().value!);
  }
}

const pathKey = (r: Pick<ProposeRequest, 'problem' | 'steps'>) => `${r.problem.id}\u0000${r.problem.prompt}\u0000${r.steps.join('\u0001')}`;

export class OnnxPolicy implements Policy {
  readonly generator: StepGenerator;
  private readonly memo = new PathMemo();

  constructor(
    readonly name: string,
    readonly lm: CausalLM,
    readonly options: OnnxPolicyOptions,
  ) {
    if (options.chat && !lm.tokenizer.hasChatTemplate) {
      throw new ModelError(`${name}: chat=on, but ${lm.folder.tokenizerConfigPath ?? 'the model folder'} has no chat_template`);
    }
    this.generator = new StepGenerator(lm, options.cacheBytes > 0 && lm.hasKvCache ? new TreeKvCache(options.cacheBytes) : null);
  }

  async propose(requests: readonly ProposeRequest[], options: CallOptions = {}): Promise<Proposal[][]> {
    // Requests on the same path share one prefill and one batch.
    const groups = new Map<string, number[]>();
    requests.forEach((r, i) => {
      const key = pathKey(r);
      groups.set(key, [...(groups.get(key) ?? []), i]);
    });
    const out: Proposal[][] = requests.map(() => []);
    for (const members of groups.values()) {
      options.signal?.throwIfAborted();
      const first = requests[members[0]!]!;
      const prefix = this.pathIds(first);
      const seeds = members.flatMap((i) => Array.from({ length: Math.max(0, requests[i]!.k) }, (_, j) => mixSeed(requests[i]!.seed, j)));
      if (seeds.length === 0) continue;
      const delimiter = first.task.stepDelimiter;
      let constraint = null;
      if (this.options.constrained) {
        if (!first.task.legalSteps) throw new ModelError(`constrained decoding needs a task that lists its legal steps; ${first.task.name} does not`);
        constraint = legalStepsConstraint(first.task.legalSteps(first.state), delimiter);
      }
      const steps = await this.generator.sampleRows(prefix, seeds, { ...this.options, delimiter, seed: 0, constraint, signal: options.signal });
      let at = 0;
      for (const i of members) {
        const mine = steps.slice(at, at + Math.max(0, requests[i]!.k));
        at += mine.length;
        out[i] = this.toProposals(requests[i]!, prefix, mine);
      }
    }
    return out;
  }

  async close(): Promise<void> {
    await this.lm.release();
  }

  /** The token path of a request: remembered from its proposal, else tokenized from its text. */
  private pathIds(r: ProposeRequest): number[] {
    const known = this.memo.get(pathKey(r));
    if (known) return known;
    const tok = this.lm.tokenizer;
    const prompt = r.task.prompt(r.problem);
    // A chat template writes its own special tokens; a plain prompt gets the tokenizer's.
    const root = this.options.chat ? tok.encode(tok.applyChatTemplate([{ role: 'user', content: prompt }]), false) : tok.encode(prompt, true);
    if (root.length === 0 && tok.bosTokenId !== undefined) root.push(tok.bosTokenId);
    if (r.steps.length === 0) return root;
    // Prompt and steps tokenized apart, as generation produced them, so the root stays a cache prefix.
    const stepsText = pathText(r.task, r.problem, r.steps).slice(prompt.length);
    return root.concat(tok.encode(stepsText));
  }

  private toProposals(r: ProposeRequest, prefix: number[], steps: SampledStep[]): Proposal[] {
    const tok = this.lm.tokenizer;
    const eos = new Set(tok.eosTokenIds);
    const delimiterIds = tok.encode(r.task.stepDelimiter);
    const proposals = steps.map((s) => {
      // The child's path must read as pathText does: its step, then the delimiter.
      const ids = s.stop === 'delimiter' ? s.tokenIds : s.tokenIds.filter((t) => !eos.has(t)).concat(delimiterIds);
      this.memo.set(pathKey({ problem: r.problem, steps: [...r.steps, s.text] }), prefix.concat(ids));
      return { text: s.text, logprob: s.logprob, tokenCount: s.tokenIds.length };
    });
    return proposals.sort((a, b) => b.logprob - a.logprob);
  }
}
