/**
 * Model-written text, shown safely. Markdown mode: react-markdown turns raw HTML into visible
 * text (no rehype-raw), links are shown but never followed, images are named but never loaded,
 * and KaTeX runs with trust off and limits on size and macro expansion. Plain mode: a <pre>.
 * Either way the text can never become markup or script. Long texts are shown a page at a time.
 */
import { memo, useMemo, useState } from 'react';
import Markdown, { type Components } from 'react-markdown';
import rehypeKatex from 'rehype-katex';
import remarkMath from 'remark-math';
import { pageStarts } from '../lib/pages';

const KATEX_OPTIONS = {
  trust: false,
  strict: 'ignore' as const,
  maxSize: 20,
  maxExpand: 200,
  output: 'htmlAndMathml' as const,
  errorColor: '#e06c75',
};

const COMPONENTS: Components = {
  a: ({ href, children }) => (
    <span className="md-link" title={href ? `Link (not opened): ${href}` : 'Link (not opened)'}>
      {children}
    </span>
  ),
  img: ({ alt }) => <span className="md-img">[image: {alt || 'no description'}]</span>,
};

const REMARK = [remarkMath];
const REHYPE = [[rehypeKatex, KATEX_OPTIONS]] as const;

export const SafeText = memo(function SafeText({ text, markdown }: { text: string; markdown: boolean }) {
  const starts = useMemo(() => pageStarts(text), [text]);
  const [page, setPage] = useState(0);
  const at = Math.min(page, starts.length - 1);
  const shown = starts.length === 1 ? text : text.slice(starts[at], starts[at + 1] ?? text.length);
  return (
    <div className="safe-text" data-page={at + 1}>
      {markdown ? (
        <div className="md">
          <Markdown remarkPlugins={REMARK} rehypePlugins={REHYPE as never} components={COMPONENTS}>
            {shown}
          </Markdown>
        </div>
      ) : (
        <pre className="plain">{shown}</pre>
      )}
      {starts.length > 1 && (
        <div className="pager" role="group" aria-label="Pages of this text">
          <button className="button small" disabled={at === 0} onClick={() => setPage(at - 1)}>
            Previous page
          </button>
          <span className="muted">
            page {at + 1} of {starts.length} · {text.length.toLocaleString()} characters
          </span>
          <button className="button small" disabled={at === starts.length - 1} onClick={() => setPage(at + 1)}>
            Next page
          </button>
        </div>
      )}
    </div>
  );
});
