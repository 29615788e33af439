/**
 * Replay: a slider over expansion order. The tree shows only nodes created up to the chosen
 * expansion, so an annotator can watch MCTS or DFS unfold; play steps forward on a timer.
 */
import { useEffect, useMemo, useState } from 'react';
import type { RunModel } from '../model/run-model';
import { useKeyTitle } from '../ui/Kbd';

export function ReplayBar({
  model,
  structureVersion,
  replay,
  setReplay,
}: {
  model: RunModel;
  structureVersion: number;
  replay: number | null;
  setReplay(v: number | null): void;
}) {
  const keyTitle = useKeyTitle();
  const [playing, setPlaying] = useState(false);
  const { max, sorted } = useMemo(() => {
    const expansions = [...model.nodes.values()].map((n) => n.expansion).sort((a, b) => a - b);
    return { max: expansions[expansions.length - 1] ?? 0, sorted: expansions };
    // structureVersion: nodes are added to the model in place.
  }, [model, structureVersion]);
  const at = replay ?? max;
  const shown = useMemo(() => upperBound(sorted, at), [sorted, at]);

  useEffect(() => {
    if (!playing) return;
    const timer = setInterval(() => {
      const next = (replay ?? -1) + 1;
      if (next >= max) {
        setReplay(null);
        setPlaying(false);
      } else setReplay(next);
    }, 220);
    return () => clearInterval(timer);
  }, [playing, replay, max, setReplay]);

  return (
    <div className="replay-bar">
      <button
        className="button small"
        onClick={() => {
          if (!playing && replay === null) setReplay(0);
          setPlaying((p) => !p);
        }}
        title={playing ? 'Pause replay' : 'Replay the search from the first expansion'}
        aria-label={playing ? 'Pause replay' : 'Play replay'}
      >
        {playing ? '❚❚' : '▶'}
      </button>
      <label className="replay-label" htmlFor="replay-slider">
        Replay
      </label>
      <input
        id="replay-slider"
        type="range"
        min={0}
        max={max}
        value={at}
        disabled={max === 0}
        onChange={(e) => {
          const v = Number(e.target.value);
          setReplay(v >= max ? null : v);
        }}
        title={keyTitle('Step through expansions', 'replayForward')}
      />
      <span className="replay-status" data-testid="replay-status">
        {at.toLocaleString()}/{max.toLocaleString()} expansions · {shown.toLocaleString()} nodes
        {replay !== null && (
          <button className="link-button" onClick={() => (setReplay(null), setPlaying(false))}>
            live
          </button>
        )}
      </span>
    </div>
  );
}

/** Number of entries ≤ v in a sorted array. */
function upperBound(sorted: number[], v: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid]! <= v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
