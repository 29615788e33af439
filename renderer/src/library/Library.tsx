/**
 * The run library: filter and sort on the server (listRuns), page in 200 runs at a time as the
 * list scrolls, and render only the rows in view, so 10k runs scroll as smoothly as 10.
 */
import { forwardRef, useCallback, useEffect, useImperativeHandle, useMemo, useRef, useState } from 'react';
import type { MethodInput } from '../../../common/contract';
import { ALGORITHMS, RUN_STATUSES, TASKS, type RunSummary } from '../../../common/domain';
import { useClient, useStudioEvents } from '../shell/events';
import { useToaster } from '../ui/toasts';
import { plural } from '../lib/format';
import { useActionHandlers } from '../ui/hotkeys';

const PAGE = 200;
const ROW_HEIGHT = 56;
const OVERSCAN = 8;

type Filters = {
  search: string;
  task: string;
  algorithm: string;
  status: string;
  solved: '' | 'yes' | 'no';
  sort: 'created' | 'nodes' | 'labeled' | 'status';
  direction: 'asc' | 'desc';
};

const INITIAL: Filters = { search: '', task: '', algorithm: '', status: '', solved: '', sort: 'created', direction: 'desc' };

export interface LibraryHandle {
  focus(): void;
  refresh(): void;
}

export const Library = forwardRef<LibraryHandle, { selectedRunId: number | null; annotator: string | null; onOpen(runId: number): void }>(
  function Library({ selectedRunId, annotator, onOpen }, ref) {
    const client = useClient();
    const toast = useToaster();
    const [filters, setFilters] = useState<Filters>(INITIAL);
    const [search, setSearch] = useState('');
    const [total, setTotal] = useState<number | null>(null);
    const [pages, setPages] = useState<Map<number, RunSummary[]>>(new Map());
    const [generation, setGeneration] = useState(0);
    const inflight = useRef(new Set<string>());
    const genRef = useRef(0);
    const listRef = useRef<HTMLDivElement>(null);
    const [scroll, setScroll] = useState({ top: 0, height: 600 });
    const [cursor, setCursor] = useState(0);

    // Debounced text filter: one query per pause in typing, not per key.
    useEffect(() => {
      const t = setTimeout(() => setFilters((f) => (f.search === search ? f : { ...f, search })), 200);
      return () => clearTimeout(t);
    }, [search]);

    const query = useMemo((): MethodInput<'listRuns'> => {
      return {
        sort: filters.sort,
        direction: filters.direction,
        ...(filters.search.trim() ? { search: filters.search.trim() } : {}),
        ...(filters.task ? { task: filters.task as never } : {}),
        ...(filters.algorithm ? { algorithm: filters.algorithm as never } : {}),
        ...(filters.status ? { status: filters.status as never } : {}),
        ...(filters.solved ? { solved: filters.solved === 'yes' } : {}),
        // Progress bars show my labels, not anyone's.
        ...(annotator ? { annotator } : {}),
      };
    }, [filters, annotator]);

    // New filters: start over from the first page.
    useEffect(() => {
      setPages(new Map());
      setTotal(null);
      inflight.current.clear();
      setGeneration(++genRef.current);
      listRef.current?.scrollTo({ top: 0 });
      setCursor(0);
    }, [query]);

    const loadPage = useCallback(
      (page: number, gen: number, replace = false) => {
        const key = `${gen}:${page}`;
        if (inflight.current.has(key) && !replace) return;
        inflight.current.add(key);
        client.api.listRuns({ ...query, limit: PAGE, offset: page * PAGE }).then(
          (r) => {
            inflight.current.delete(key);
            if (gen !== genRef.current) return;
            setTotal(r.total);
            setPages((p) => new Map(p).set(page, r.runs));
          },
          (e: unknown) => {
            inflight.current.delete(key);
            toast.error(e, 'Could not list runs');
          },
        );
      },
      [client, query, toast],
    );

    const first = Math.max(0, Math.floor(scroll.top / ROW_HEIGHT) - OVERSCAN);
    const last = Math.min((total ?? PAGE) - 1, Math.ceil((scroll.top + scroll.height) / ROW_HEIGHT) + OVERSCAN);

    // Fetch the pages the visible rows fall on.
    useEffect(() => {
      if (generation === 0) return;
      const from = Math.floor(first / PAGE);
      const to = Math.floor(Math.max(first, last) / PAGE);
      for (let p = from; p <= to; p++) if (!pages.has(p)) loadPage(p, generation);
    }, [first, last, pages, generation, loadPage]);

    // Keep what is on screen current: labels and new runs arrive from other windows and searches.
    const refreshTimer = useRef<ReturnType<typeof setTimeout> | null>(null);
    const refreshLoaded = useCallback(() => {
      if (refreshTimer.current) return;
      refreshTimer.current = setTimeout(() => {
        refreshTimer.current = null;
        for (const p of pages.keys()) loadPage(p, generation, true);
        if (pages.size === 0) loadPage(0, generation, true);
      }, 600);
    }, [pages, generation, loadPage]);
    useStudioEvents((name, payload) => {
      if (name === 'runChanged') {
        const run = (payload as { run: RunSummary }).run;
        let found = false;
        setPages((ps) => {
          const next = new Map(ps);
          for (const [k, rows] of ps) {
            const i = rows.findIndex((r) => r.id === run.id);
            if (i >= 0) {
              found = true;
              const copy = rows.slice();
              copy[i] = { ...copy[i]!, ...run, prompt: copy[i]!.prompt, labeledCount: copy[i]!.labeledCount };
              next.set(k, copy);
            }
          }
          return found ? next : ps;
        });
        if (!found) refreshLoaded();
      } else if (name === 'annotationsChanged') refreshLoaded();
    });

    useImperativeHandle(
      ref,
      () => ({
        focus: () => listRef.current?.focus(),
        refresh: refreshLoaded,
      }),
      [refreshLoaded],
    );

    useEffect(() => {
      const el = listRef.current;
      if (!el) return;
      const measure = () => setScroll({ top: el.scrollTop, height: el.clientHeight });
      measure();
      const ro = new ResizeObserver(measure);
      ro.observe(el);
      return () => ro.disconnect();
    }, []);

    const rowAt = (i: number): RunSummary | undefined => pages.get(Math.floor(i / PAGE))?.[i % PAGE];

    // Enter on a row still loading (the list reloads when the filters or the annotator change)
    // opens it once it arrives, instead of being dropped; a move or an empty list cancels it.
    const [openWhenLoaded, setOpenWhenLoaded] = useState(false);
    const openCursor = () => {
      const run = rowAt(cursor);
      if (run) onOpen(run.id);
      else setOpenWhenLoaded(total !== 0);
    };
    useEffect(() => {
      if (!openWhenLoaded) return;
      if (total === 0) return setOpenWhenLoaded(false);
      const run = rowAt(cursor);
      if (run) {
        setOpenWhenLoaded(false);
        onOpen(run.id);
      }
    });

    const moveCursor = (to: number) => {
      setOpenWhenLoaded(false);
      if (total === null || total === 0) return;
      const next = Math.min(total - 1, Math.max(0, to));
      setCursor(next);
      const el = listRef.current;
      if (!el) return;
      const top = next * ROW_HEIGHT;
      if (top < el.scrollTop) el.scrollTop = top;
      else if (top + ROW_HEIGHT > el.scrollTop + el.clientHeight) el.scrollTop = top + ROW_HEIGHT - el.clientHeight;
    };

    // With no run open, the move keys walk the run list and Enter opens the run (an open run's
    // workbench registers later, so its handlers win while it is there).
    useActionHandlers({
      child: () => moveCursor(cursor + 1),
      parent: () => moveCursor(cursor - 1),
      note: openCursor,
    });

    const rows = [];
    for (let i = first; i <= last; i++) {
      const run = rowAt(i);
      rows.push(
        <RunRow
          key={run ? `r${run.id}` : `p${i}`}
          index={i}
          run={run}
          active={run !== undefined && run.id === selectedRunId}
          cursor={i === cursor}
          onOpen={(id) => {
            setCursor(i);
            onOpen(id);
          }}
        />,
      );
    }

    const set = <K extends keyof Filters>(k: K, v: Filters[K]) => setFilters((f) => ({ ...f, [k]: v }));

    return (
      <nav className="library" aria-label="Runs">
        <div className="library-head">
          <h2>
            Runs <span className="muted" data-testid="run-total">{total === null ? '…' : total.toLocaleString()}</span>
          </h2>
        </div>
        <div className="library-filters">
          <input
            type="search"
            placeholder="Filter by problem text"
            aria-label="Filter runs by problem text"
            value={search}
            onChange={(e) => setSearch(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === 'ArrowDown') {
                e.preventDefault();
                listRef.current?.focus();
              }
            }}
          />
          <div className="filter-grid">
            <Select label="Task" value={filters.task} options={TASKS} onChange={(v) => set('task', v)} />
            <Select label="Algorithm" value={filters.algorithm} options={ALGORITHMS} onChange={(v) => set('algorithm', v)} />
            <Select label="Status" value={filters.status} options={RUN_STATUSES} onChange={(v) => set('status', v)} />
            <Select label="Solved" value={filters.solved} options={['yes', 'no'] as const} onChange={(v) => set('solved', v as Filters['solved'])} />
          </div>
          <div className="sort-row">
            <label className="field-label" htmlFor="run-sort">
              Sort
            </label>
            <select id="run-sort" value={filters.sort} onChange={(e) => set('sort', e.target.value as Filters['sort'])}>
              <option value="created">newest</option>
              <option value="nodes">nodes</option>
              <option value="labeled">labeled</option>
              <option value="status">status</option>
            </select>
            <button
              className="button small"
              onClick={() => set('direction', filters.direction === 'asc' ? 'desc' : 'asc')}
              title={`Sorted ${filters.direction === 'asc' ? 'ascending' : 'descending'}: flip the order`}
            >
              <span aria-hidden>{filters.direction === 'asc' ? '↑' : '↓'}</span> {filters.direction === 'asc' ? 'asc' : 'desc'}
            </button>
          </div>
        </div>
        <div
          ref={listRef}
          className="run-list"
          role="listbox"
          aria-label="Runs"
          tabIndex={0}
          onScroll={(e) => setScroll({ top: e.currentTarget.scrollTop, height: e.currentTarget.clientHeight })}
          onKeyDown={(e) => {
            const page = Math.max(1, Math.floor((listRef.current?.clientHeight ?? 600) / ROW_HEIGHT) - 1);
            const moves: Record<string, number> = { ArrowDown: 1, ArrowUp: -1, j: 1, k: -1, PageDown: page, PageUp: -page };
            if (e.key in moves) {
              e.preventDefault();
              moveCursor(cursor + moves[e.key]!);
            } else if (e.key === 'Home' || e.key === 'End') {
              e.preventDefault();
              moveCursor(e.key === 'Home' ? 0 : (total ?? 1) - 1);
            } else if (e.key === 'Enter') {
              e.preventDefault();
              openCursor();
            }
          }}
        >
          <div className="run-list-inner" style={{ height: (total ?? 0) * ROW_HEIGHT }}>
            {rows}
          </div>
          {total === 0 && <div className="empty-state">No runs match. Start a search or clear the filters.</div>}
        </div>
      </nav>
    );
  },
);

function Select<T extends string>({ label, value, options, onChange }: { label: string; value: string; options: readonly T[]; onChange(v: T | ''): void }) {
  return (
    <select aria-label={label} value={value} onChange={(e) => onChange(e.target.value as T | '')} className={value ? 'is-set' : ''}>
      <option value="">{label}: any</option>
      {options.map((o) => (
        <option key={o} value={o}>
          {o}
        </option>
      ))}
    </select>
  );
}

function RunRow({ index, run, active, cursor, onOpen }: { index: number; run?: RunSummary; active: boolean; cursor: boolean; onOpen(id: number): void }) {
  const style = { top: index * ROW_HEIGHT, height: ROW_HEIGHT };
  if (!run) {
    return (
      <div className="run-row is-loading" style={style} aria-hidden>
        <span className="skeleton" />
      </div>
    );
  }
  const steps = Math.max(0, run.nodeCount - 1);
  const mine = run.myLabeledCount ?? run.labeledCount;
  const progress = steps ? Math.min(1, mine / steps) : 0;
  return (
    <div
      className={`run-row${active ? ' is-active' : ''}${cursor ? ' is-cursor' : ''}`}
      style={style}
      role="option"
      aria-selected={active}
      data-run-id={run.id}
      onClick={() => onOpen(run.id)}
    >
      <div className="run-line">
        <span className="run-id">#{run.id}</span>
        <span className="run-prompt" title={run.prompt}>
          {run.prompt.slice(0, 160)}
        </span>
        {run.solved ? (
          <span className="outcome correct" title="solved">
            ✓
          </span>
        ) : (
          <span className="outcome unsolved" title="not solved">
            –
          </span>
        )}
      </div>
      <div className="run-line run-meta">
        <span>{run.task}</span>
        <span>{run.algorithm}</span>
        <span className={`status status-${run.status}`}>{run.status}</span>
        <span>{run.nodeCount.toLocaleString()} nodes</span>
        <span
          className="progress"
          title={
            run.myLabeledCount === undefined
              ? `${run.labeledCount} of ${plural(steps, 'step')} labeled`
              : `You labeled ${run.myLabeledCount} of ${plural(steps, 'step')} (anyone: ${run.labeledCount})`
          }
        >
          <i style={{ width: `${Math.round(progress * 100)}%` }} />
        </span>
        <span className="progress-num">{Math.round(progress * 100)}%</span>
      </div>
    </div>
  );
}
