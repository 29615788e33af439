/**
 * Model-written text, shown safely. Markdown mode: react-markdown turns raw HTML into visible
 * text (no rehype-raw), links are shown but never followed, images are named but never loaded,
 * and KaTeX runs with trust off and limits on size and macro expansion. Plain mode: a <pre>.
 * Either way the text can never become markup or script.
 */
import { memo, useState } from 'react';
import Markdown, { type Components } from 'react-markdown';
import rehypeKatex from 'rehype-katex';
import remarkMath from 'remark-math';

/** Longer texts show their start and a button: a megabyte of model output must not hang the UI. */
export const TEXT_LIMIT = 20_000;

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
  const [all, setAll] = useState(false);
  const long = text.length > TEXT_LIMIT;
  const shown = long && !all ? text.slice(0, TEXT_LIMIT) : text;
  return (
    <div className="safe-text">
      {markdown ? (
        <div className="md">
          <Markdown remarkPlugins={REMARK} rehypePlugins={REHYPE as never} components={COMPONENTS}>
            {shown}
          </Markdown>
        </div>
      ) : (
        <pre className="plain">{shown}</pre>
      )}
      {long && (
        <button className="link-button" onClick={() => setAll((v) => !v)}>
          {all ? 'Show less' : `Show all ${text.length.toLocaleString()} characters`}
        </button>
      )}
    </div>
  );
});
