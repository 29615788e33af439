/** Finds nodes by step text as one types; Enter and Shift+Enter walk the matches, Esc clears. */
import { forwardRef, useEffect, useState } from 'react';
import type { RunModel } from '../model/run-model';

export const TreeSearch = forwardRef<
  HTMLInputElement,
  { model: RunModel; onMatches(ids: number[]): void; onGo(id: number): void; searchKey: string }
>(function TreeSearch({ model, onMatches, onGo, searchKey }, ref) {
  const [query, setQuery] = useState('');
  const [matches, setMatches] = useState<number[]>([]);
  const [at, setAt] = useState(-1);
  useEffect(() => {
    const timer = setTimeout(() => {
      const found = model.search(query);
      setMatches(found);
      setAt(-1);
      onMatches(found);
    }, 150);
    return () => clearTimeout(timer);
    // onMatches is recreated each render; the query and model decide.
  }, [query, model]);
  const go = (dir: 1 | -1) => {
    if (!matches.length) return;
    const next = (at + dir + matches.length) % matches.length;
    setAt(next);
    onGo(matches[next]!);
  };
  return (
    <div className="tree-search">
      <input
        ref={ref}
        type="search"
        value={query}
        placeholder="Find step text…"
        aria-label="Find nodes by step text"
        title={searchKey}
        onChange={(e) => setQuery(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Enter') {
            e.preventDefault();
            go(e.shiftKey ? -1 : 1);
          } else if (e.key === 'Escape') {
            e.preventDefault();
            setQuery('');
            e.currentTarget.blur();
          }
        }}
      />
      {query.trim() && (
        <span className="search-count" data-testid="search-count">
          {matches.length ? `${at + 1 || '–'}/${matches.length}` : 'none'}
        </span>
      )}
    </div>
  );
});
