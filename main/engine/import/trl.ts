/**
 * TRL stepwise-supervision files back into trees. Consecutive records of one tree (the same
 * `meta.run_id`, or without meta the same prompt) are merged: with `meta.node_seqs` nodes are
 * matched by seq, which restores the exported tree and its order exactly; without it, by their
 * path of step texts. Labels come from `meta.ratings` when present (-1/0/+1), else true → +1,
 * false → -1.
 */
import { z } from 'zod';
import type { ImportMapping } from '../../../common/contract/export';
import { TaskName, type Rating } from '../../../common/domain';
import { checkedProblem } from './problems';
import { ImportLineError, jsonObject, type ImportItem, type ImportNode, type ImportParser, type ImportRecord } from './types';

const RatingValue = z.union([z.literal(-1), z.literal(0), z.literal(1)]);

const TrlRecord = z
  .object({
    prompt: z.string().min(1, 'prompt is empty'),
    completions: z.array(z.string()).min(1, 'completions is empty'),
    labels: z.array(z.boolean()),
    meta: z
      .object({
        run_id: z.number().int().optional(),
        task: TaskName.optional(),
        gold_answer: z.string().nullable().optional(),
        node_seqs: z.array(z.number().int().min(1)).optional(),
        ratings: z.array(RatingValue).optional(),
      })
      .optional(),
  })
  .refine((r) => r.labels.length === r.completions.length, {
    message: 'labels and completions differ in length',
    path: ['labels'],
  })
  .refine((r) => !r.meta?.node_seqs || r.meta.node_seqs.length === r.completions.length, {
    message: 'meta.node_seqs and completions differ in length',
    path: ['meta', 'node_seqs'],
  })
  .refine((r) => !r.meta?.ratings || r.meta.ratings.length === r.completions.length, {
    message: 'meta.ratings and completions differ in length',
    path: ['meta', 'ratings'],
  });
type TrlRecord = z.infer<typeof TrlRecord>;

interface Group {
  key: string;
  first: TrlRecord;
  firstLine: number;
  /** Node identity (seq, or the path of texts) → index in `nodes`. */
  index: Map<string, number>;
  seqs: number[];
  nodes: ImportNode[];
}

export function trlParser(mapping: ImportMapping, annotator: string, fileName: string): ImportParser {
  let group: Group | null = null;

  const close = (): ImportItem[] => {
    if (!group) return [];
    const g = group;
    group = null;
    let nodes = g.nodes;
    if (g.seqs.length) {
      // Restore the exported order: by seq, parents before children (seq is creation order).
      const order = nodes.map((_, i) => i).slice(1).sort((a, b) => g.seqs[a]! - g.seqs[b]!);
      const position = new Map([[0, 0], ...order.map((old, k): [number, number] => [old, k + 1])]);
      nodes = [nodes[0]!, ...order.map((old) => ({ ...nodes[old]!, parent: position.get(nodes[old]!.parent!)! }))];
    }
    const meta = g.first.meta;
    return [
      {
        kind: 'tree',
        tree: {
          problem: checkedProblem({
            task: meta?.task ?? mapping.task ?? 'math',
            prompt: g.first.prompt,
            goldAnswer: meta?.gold_answer ?? null,
            metadata: {},
          }),
          algorithm: 'best-of-n',
          policy: 'import:trl',
          config: { import: { format: 'trl', file: fileName, line: g.firstLine, run_id: meta?.run_id ?? null } },
          nodes,
        },
      },
    ];
  };

  const push = (record: ImportRecord): ImportItem[] => {
    const parsed = TrlRecord.safeParse(jsonObject(record));
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      throw new ImportLineError(`${issue.path.join('.') || 'record'}: ${issue.message}`);
    }
    const r = parsed.data;
    const seqs = r.meta?.node_seqs;
    if (seqs && new Set(seqs).size !== seqs.length) throw new ImportLineError('meta.node_seqs repeats a seq');
    const ratings: Rating[] = r.meta?.ratings ?? r.labels.map((l) => (l ? 1 : -1));
    const key = r.meta?.run_id !== undefined ? `run:${r.meta.run_id}:${r.prompt}` : `prompt:${r.prompt}`;
    // A new tree starts: the previous one is complete (this record cannot fail against an empty tree).
    const done = group && group.key !== key ? close() : [];
    const g: Group = (group ??= {
      key,
      first: r,
      firstLine: record.line,
      index: new Map(),
      seqs: [0],
      nodes: [{ parent: null, stepText: '' }],
    });
    // Check the whole record against the tree so far before changing anything.
    const plan: { id: string; existing: number | undefined }[] = [];
    let pathId = '';
    r.completions.forEach((text, k) => {
      pathId += `\u0000${text}`;
      const id = seqs ? `seq:${seqs[k]}` : pathId;
      const existing = g.index.get(id);
      if (existing !== undefined) {
        const node = g.nodes[existing]!;
        const where = seqs ? `step ${k + 1} (seq ${seqs[k]})` : `step ${k + 1}`;
        const expectedParent = k === 0 ? 0 : plan[k - 1]!.existing;
        if (node.stepText !== text) throw new ImportLineError(`${where} has a different text than in an earlier record`);
        if (node.parent !== expectedParent) throw new ImportLineError(`${where} has a different parent than in an earlier record`);
        const earlier = node.labels![0]!.rating;
        if (earlier !== ratings[k]) throw new ImportLineError(`${where} is labeled ${ratings[k]} here and ${earlier} in an earlier record`);
      }
      plan.push({ id, existing });
    });
    let parent = 0;
    r.completions.forEach((text, k) => {
      const { id, existing } = plan[k]!;
      if (existing !== undefined) {
        parent = existing;
        return;
      }
      g.nodes.push({ parent, stepText: text, labels: [{ annotator, rating: ratings[k]! }] });
      g.seqs.push(seqs ? seqs[k]! : g.nodes.length - 1);
      parent = g.nodes.length - 1;
      g.index.set(id, parent);
    });
    return done;
  };

  return { push, finish: close };
}
