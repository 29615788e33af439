/**
 * The selected path read top to bottom, as PRM800K's labeling screen shows a solution: the
 * problem, then every step from the root through the selected one and on down the most promising
 * child (golden path, else most visits, else the first) to a leaf, each with its rating buttons.
 * ↑/↓ walk this path, ←/→ switch to a sibling branch (the path below follows it), 1/2/3 rate the
 * selected step as anywhere else.
 */
import { useEffect, useMemo, useRef, useSyncExternalStore } from 'react';
import type { Rating } from '../../../common/domain';
import { fmtRating } from '../lib/format';
import type { RunModel } from '../model/run-model';
import type { ViewStore } from '../model/view-store';
import { useActionHandlers } from '../ui/hotkeys';
import { Kbd } from '../ui/Kbd';
import { SafeText } from '../ui/SafeText';

const RATE_ACTIONS = { '-1': 'rateMinus', '0': 'rateZero', '1': 'ratePlus' } as const;

/** Root to `id`, then on down the most promising child to a leaf. */
export function readingPath(model: RunModel, id: number): number[] {
  const path = model.pathTo(id).map((n) => n.id);
  const best = model.bestPath();
  let cur = id;
  for (;;) {
    const kids = model.childrenOf(cur);
    if (!kids.length) break;
    cur =
      kids.find((k) => best.has(k)) ??
      kids.reduce((a, b) => ((model.node(b)?.visits ?? 0) > (model.node(a)?.visits ?? 0) ? b : a), kids[0]!);
    path.push(cur);
  }
  return path;
}

interface Props {
  model: RunModel;
  store: ViewStore;
  annotator: string;
  markdown: boolean;
  firstErrorMode: boolean;
  /** Blind labeling: outcomes of steps I have not rated stay hidden. */
  blind: boolean;
  version: number;
  onSelect(id: number): void;
  onRate(id: number, rating: Rating | null): void;
}

export function PathReader({ model, store, annotator, markdown, firstErrorMode, blind, version, onSelect, onRate }: Props) {
  const selected = useSyncExternalStore(store.subscribe, () => store.selected);
  const rootRef = useRef<HTMLDivElement>(null);
  // The continuation below the selection stays put while one walks along it.
  const anchor = useRef<number | null>(null);
  const path = useMemo(() => {
    if (selected === null) return [];
    const previous = anchor.current === null ? [] : readingPath(model, anchor.current);
    if (previous.includes(selected)) return previous;
    anchor.current = selected;
    return readingPath(model, selected);
    // version: nodes arrive and the golden path moves in the mutable model.
  }, [model, selected, version]);

  useActionHandlers({
    child: () => {
      const at = selected === null ? -1 : path.indexOf(selected);
      if (at >= 0 && at + 1 < path.length) onSelect(path[at + 1]!);
    },
  });

  useEffect(() => {
    rootRef.current?.querySelector('.reader-step.is-selected')?.scrollIntoView({ block: 'nearest' });
  }, [selected]);

  return (
    <div className="reader" ref={rootRef} data-testid="path-reader" aria-label="Path, step by step">
      <section className="reader-problem">
        <div className="path-label">Problem ({model.problem.task})</div>
        <SafeText text={model.problem.prompt} markdown={markdown} />
      </section>
      <ol className="reader-steps">
        {path.slice(1).map((id, i) => {
          const n = model.node(id)!;
          const mine = model.ratingOf(id, annotator);
          const siblings = model.siblingsOf(id);
          const after = firstErrorMode && model.afterError(id, annotator);
          const classes = ['reader-step'];
          if (id === selected) classes.push('is-selected');
          if (after) classes.push('after-error');
          return (
            <li key={id} className={classes.join(' ')} data-node-id={id} aria-current={id === selected ? 'step' : undefined}>
              <div className="reader-head">
                <button className="link-button" onClick={() => onSelect(id)} title="Select this step">
                  Step {i + 1}
                </button>
                <span className="muted">#{n.seq}</span>
                {siblings.length > 1 && (
                  <span className="muted" title="Other branches here: ← / → switch">
                    branch {siblings.indexOf(id) + 1} of {siblings.length}
                  </span>
                )}
                {n.outcome && !(blind && mine === null) && <span className={`outcome-text ${n.outcome}`}>{n.outcome === 'correct' ? '✓ correct' : '✗ incorrect'}</span>}
                {after && <span className="muted">after the first error</span>}
                <span className="spacer" />
                <div className="reader-rate" role="group" aria-label={`Rate step ${i + 1}`}>
                  {([-1, 0, 1] as const).map((r) => (
                    <button
                      key={r}
                      className={`rate-button small r${r}${mine === r ? ' is-active' : ''}`}
                      aria-pressed={mine === r}
                      onClick={() => onRate(id, mine === r ? null : r)}
                    >
                      {fmtRating(r)}
                      {id === selected && <Kbd action={RATE_ACTIONS[String(r) as '-1']} />}
                    </button>
                  ))}
                </div>
              </div>
              <SafeText text={n.stepText || '(empty step)'} markdown={markdown} />
            </li>
          );
        })}
      </ol>
    </div>
  );
}
