/**
 * Editing transcript trees through the contract: split at a cursor, merge with the next step,
 * move under another parent, change a tag. Each is undoable and redoable, lands in the history,
 * reaches other clients as an event, and keeps the text exactly as the model wrote it.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Transcript } from '../../../common/contract/transcript';
import { Engine } from '../../../main/engine/engine';
import { callEngine } from '../../helpers/engine-call';
import { FIXTURE_PATH, FIXTURE } from './fixture';

let dir: string;
let engine: Engine;
let runId: number;
const events: { restructured?: boolean; runId: number }[] = [];

const call = (method: string, input: unknown) => callEngine(engine, method, input);
const get = async (): Promise<Transcript> => (await call('getTranscript', { runId })).transcript;
const edit = async (e: unknown, annotator = 'ann'): Promise<Transcript> => (await call('editTranscript', { annotator, edit: e })).transcript;
const whole = (t: Transcript) => t.prefix + t.steps.filter((s) => s.section === 'reasoning').map((s) => s.text).join('') + t.middle + t.steps.filter((s) => s.section === 'answer').map((s) => s.text).join('') + t.suffix;
/** Each step as "text start|parent index|tag", the tree in reading order. */
const outline = (t: Transcript) => t.steps.map((s) => `${s.text.slice(0, 12)}|${t.steps.findIndex((p) => p.nodeId === s.parentId)}|${s.tag}`);

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'longcot-edit-'));
  engine = Engine.open(path.join(dir, 'edit.db'));
  engine.events.subscribe((name, payload) => {
    if (name === 'annotationsChanged') events.push(payload as never);
  });
  const summary = await call('importData', { format: 'long-cot', path: FIXTURE_PATH, longCot: { segment: 'paragraph' } });
  expect(summary.runs).toBe(1);
  runId = (await call('listRuns', {})).runs[0].id;
});
afterAll(() => {
  engine.close();
  fs.rmSync(dir, { recursive: true, force: true });
});
beforeEach(() => {
  events.length = 0;
});

describe('transcript edits', () => {
  it('splits a step at the cursor, undoes and redoes it', async () => {
    const t0 = await get();
    const step = t0.steps[3]!; // "The factor pairs of 45 ... so the answer is 0."
    const cut = step.text.indexOf('From (1, 45)'.replace('(1, 45)', '$(1, 45)$'));
    expect(cut).toBeGreaterThan(0);
    const t1 = await edit({ op: 'split', nodeId: step.nodeId, offset: cut });
    expect(t1.steps).toHaveLength(t0.steps.length + 1);
    const [first, second] = [t1.steps[3]!, t1.steps[4]!];
    expect(first.nodeId).toBe(step.nodeId);
    expect(first.text + second.text).toBe(step.text);
    expect(second.parentId).toBe(first.nodeId);
    // The old children of the split step now hang under its second part.
    const oldChildren = t0.steps.filter((s) => s.parentId === step.nodeId).map((s) => s.nodeId);
    for (const id of oldChildren) expect(t1.steps.find((s) => s.nodeId === id)!.parentId).toBe(second.nodeId);
    expect(whole(t1)).toBe(FIXTURE);
    // Nodes follow reading order (seq), depth follows the parents.
    const tree = await call('getTree', { runId });
    const bySeq = [...tree.nodes].sort((a: { seq: number }, b: { seq: number }) => a.seq - b.seq);
    expect(bySeq.map((n: { stepText: string }) => n.stepText).join('')).toBe(t1.steps.map((s) => s.text).join(''));
    expect(tree.nodes.find((n: { id: number }) => n.id === second.nodeId).depth).toBe(tree.nodes.find((n: { id: number }) => n.id === first.nodeId).depth + 1);
    expect(events).toEqual([expect.objectContaining({ runId, restructured: true })]);
    // The run's kept statistics follow the edit (the corpus view reads them).
    expect((await call('transcriptStats', { runIds: [runId] })).runs[0].stats).toEqual(t1.stats);

    const { entry } = await call('undo', { annotator: 'ann' });
    expect(entry.entity).toBe('structure');
    expect(outline(await get())).toEqual(outline(t0));
    expect(whole(await get())).toBe(FIXTURE);
    await call('redo', { annotator: 'ann' });
    const t2 = await get();
    expect(outline(t2)).toEqual(outline(t1));
    expect(t2.steps[4]!.nodeId).toBe(second.nodeId);
    await call('undo', { annotator: 'ann' });
  });

  it('merges a step with the next one and undoes it', async () => {
    const t0 = await get();
    const a = t0.steps[5]!;
    const b = t0.steps[6]!;
    const t1 = await edit({ op: 'merge', nodeId: a.nodeId });
    expect(t1.steps).toHaveLength(t0.steps.length - 1);
    expect(t1.steps[5]!.text).toBe(a.text + b.text);
    expect(t1.steps.some((s) => s.nodeId === b.nodeId)).toBe(false);
    expect(t1.steps[6]!.parentId).toBe(a.nodeId);
    expect(whole(t1)).toBe(FIXTURE);
    await call('undo', { annotator: 'ann' });
    expect(outline(await get())).toEqual(outline(t0));
  });

  it('moves a step under an earlier one and changes a tag, both undoable', async () => {
    const t0 = await get();
    const backtrack = t0.steps.find((s) => s.relation === 'backtrack')!;
    const t1 = await edit({ op: 'move', nodeId: backtrack.nodeId, parentId: t0.rootId });
    expect(t1.steps.find((s) => s.nodeId === backtrack.nodeId)!.parentId).toBe(t0.rootId);
    const t2 = await edit({ op: 'tag', nodeId: backtrack.nodeId, tag: 'self_checking', relation: 'verify' });
    const moved = t2.steps.find((s) => s.nodeId === backtrack.nodeId)!;
    expect([moved.tag, moved.relation, moved.taggedBy]).toEqual(['self_checking', 'verify', 'ann']);
    const { entries } = await call('listHistory', { runId });
    expect(entries.slice(0, 2).map((e: { entity: string }) => e.entity)).toEqual(['structure', 'structure']);
    await call('undo', { annotator: 'ann' });
    await call('undo', { annotator: 'ann' });
    expect(outline(await get())).toEqual(outline(t0));
  });

  it('refuses edits that would break reading order or lose labels, changing nothing', async () => {
    const t0 = await get();
    const [s1, s2] = [t0.steps[1]!, t0.steps[2]!];
    await expect(edit({ op: 'move', nodeId: s1.nodeId, parentId: s2.nodeId })).rejects.toThrow(/invalid_input: .*written before it/);
    await expect(edit({ op: 'split', nodeId: s1.nodeId, offset: s1.text.length })).rejects.toThrow(/inside its/);
    const lastReasoning = t0.steps.filter((s) => s.section === 'reasoning').at(-1)!;
    await expect(edit({ op: 'merge', nodeId: lastReasoning.nodeId })).rejects.toThrow(/last of its reasoning/);
    await expect(edit({ op: 'merge', nodeId: t0.rootId })).rejects.toThrow(/not a step of a transcript/);
    await call('setLabel', { nodeId: s2.nodeId, annotator: 'bob', rating: 1 });
    await expect(edit({ op: 'merge', nodeId: s1.nodeId })).rejects.toThrow(/conflict: .*annotations/);
    expect(outline(await get())).toEqual(outline(t0));
    // Splitting the labeled step, then another annotator labels the new part: undoing the split
    // would lose that label, so it is refused and the tree stays.
    const t1 = await edit({ op: 'split', nodeId: s2.nodeId, offset: 10 }, 'carol');
    await call('setLabel', { nodeId: t1.steps[3]!.nodeId, annotator: 'bob', rating: -1 });
    await expect(call('undo', { annotator: 'carol' })).rejects.toThrow(/annotations/);
    expect(outline(await get())).toEqual(outline(t1));
  });
});
