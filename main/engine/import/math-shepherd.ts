/**
 * Math-Shepherd rows (`input` with `ки` after each step, `label` with `+`/`-` there; or
 * OpenRLHF's list of `+`/`-` or floats) as single-path trees. Their labels are Monte-Carlo
 * estimates, not human judgements, so they are stored as automatic labels.
 */
import type { ImportMapping } from '../../../common/contract/export';
import { TaskName, type Rating } from '../../../common/domain';
import { STEP_TAG } from '../export/formats/math-shepherd';
import { checkedProblem } from './problems';
import { ImportLineError, jsonObject, type ImportAutoLabel, type ImportNode, type ImportParser, type ImportRecord, type ImportItem } from './types';

/** One character standing in for the two-character tag, so `input` and `label` offsets line up. */
const MARK = '\u2dbb';
const STEP_PREFIX = /^\s*step\s*\d+\s*:\s*/i;

interface ShepherdSplit {
  prompt: string;
  steps: string[];
}

/** The problem and its steps: the problem ends where `Step 1:` begins (or at the first `?`). */
export function splitShepherdInput(input: string): ShepherdSplit {
  const parts = input.split(STEP_TAG);
  if (parts.length < 2) throw new ImportLineError(`"input" has no step tag ${STEP_TAG}`);
  if (parts[parts.length - 1]!.trim() !== '') throw new ImportLineError(`"input" has text after its last ${STEP_TAG} tag`);
  const head = parts[0]!;
  const at = head.search(/step\s*1\s*:/i);
  let prompt: string;
  let first: string;
  if (at >= 0) {
    prompt = head.slice(0, at);
    first = head.slice(at);
  } else if (head.includes('\n')) {
    prompt = head.slice(0, head.indexOf('\n'));
    first = head.slice(head.indexOf('\n') + 1);
  } else if (head.includes('?')) {
    prompt = head.slice(0, head.indexOf('?') + 1);
    first = head.slice(head.indexOf('?') + 1);
  } else {
    throw new ImportLineError('cannot find where the problem ends and the first step begins (no "Step 1:")');
  }
  const steps = [first, ...parts.slice(1, -1)].map((s) => s.replace(STEP_PREFIX, '').trim());
  if (!prompt.trim()) throw new ImportLineError('the problem text is empty');
  return { prompt: prompt.trim(), steps };
}

function readLabels(input: string, label: unknown, count: number): ImportAutoLabel[] {
  const auto = (rating: Rating, value: number | null): ImportAutoLabel => ({ label: rating, value, model: 'math-shepherd' });
  if (typeof label === 'string') {
    const marked = input.replaceAll(STEP_TAG, MARK);
    if (marked.length !== label.length) {
      throw new ImportLineError('"label" is not "input" with each tag replaced by + or - (lengths differ)');
    }
    const out: ImportAutoLabel[] = [];
    for (let i = marked.indexOf(MARK); i >= 0; i = marked.indexOf(MARK, i + 1)) {
      const c = label[i];
      if (c !== '+' && c !== '-') throw new ImportLineError(`"label" has "${c}" where a step tag is, not + or -`);
      out.push(auto(c === '+' ? 1 : -1, null));
    }
    return out;
  }
  if (Array.isArray(label)) {
    if (label.length !== count) throw new ImportLineError(`"label" lists ${label.length} labels for ${count} steps`);
    return label.map((l, k) => {
      if (l === '+' || l === '-') return auto(l === '+' ? 1 : -1, null);
      if (typeof l === 'number' && l >= 0 && l <= 1) return auto(l > 0 ? 1 : -1, l);
      throw new ImportLineError(`"label" item ${k} is ${JSON.stringify(l)}, not "+", "-" or a number from 0 to 1`);
    });
  }
  throw new ImportLineError('"label" is missing (text with +/-, or a list)');
}

export function mathShepherdTree(record: ImportRecord, mapping: ImportMapping, fileName: string): ImportItem {
  const obj = jsonObject(record);
  if (typeof obj.input !== 'string') throw new ImportLineError('"input" is missing or not text');
  const { prompt, steps } = splitShepherdInput(obj.input);
  const labels = readLabels(obj.input, obj.label, steps.length);
  const nodes: ImportNode[] = [{ parent: null, stepText: '' }];
  steps.forEach((stepText, k) => nodes.push({ parent: k, stepText, auto: labels[k]! }));
  // `task` names the source dataset (GSM8K, MATH); the studio's own exports write the task there.
  const named = TaskName.safeParse(obj.task);
  const source = typeof obj.task === 'string' && obj.task && !named.success ? obj.task : 'Math-Shepherd';
  return {
    kind: 'tree',
    tree: {
      problem: checkedProblem({
        task: mapping.task ?? (named.success ? named.data : 'math'),
        prompt,
        goldAnswer: null,
        metadata: named.success ? {} : { source },
      }),
      algorithm: 'best-of-n',
      policy: 'import:math-shepherd',
      config: { import: { format: 'math-shepherd', file: fileName, line: record.line } },
      nodes,
    },
  };
}

export function mathShepherdParser(mapping: ImportMapping, fileName: string): ImportParser {
  return { push: (record) => [mathShepherdTree(record, mapping, fileName)], finish: () => [] };
}
