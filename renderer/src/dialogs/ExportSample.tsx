/**
 * The first record a preview would write. A trace shows its text with the characters a trainer
 * learns from (`loss_spans`, code-point offsets) highlighted; anything else shows as JSON.
 */
import './export-sample.css';

const MAX_CHARS = 6000;

function traceText(sample: Record<string, unknown>): string | null {
  if (typeof sample.completion === 'string') return sample.completion;
  const messages = sample.messages as { role: string; content: string }[] | undefined;
  return messages?.find((m) => m.role === 'assistant')?.content ?? null;
}

/** Splits text (as code points) into plain and trained pieces by the spans. */
export function spanPieces(text: string, spans: [number, number][]): { text: string; trained: boolean }[] {
  const chars = [...text];
  const pieces: { text: string; trained: boolean }[] = [];
  let at = 0;
  for (const [a, b] of spans) {
    if (a > at) pieces.push({ text: chars.slice(at, a).join(''), trained: false });
    pieces.push({ text: chars.slice(a, b).join(''), trained: true });
    at = b;
  }
  if (at < chars.length) pieces.push({ text: chars.slice(at).join(''), trained: false });
  return pieces;
}

export function ExportSample({ sample }: { sample: Record<string, unknown> }) {
  const text = traceText(sample);
  const spans = sample.loss_spans as [number, number][] | undefined;
  const prompt = typeof sample.prompt === 'string' ? sample.prompt : null;
  return (
    <details className="export-sample" open data-testid="export-sample">
      <summary>First record{spans ? ' (highlighted: what the loss trains on)' : ''}</summary>
      {text !== null ? (
        <pre>
          {prompt !== null && <span className="export-sample-prompt">{text.startsWith('\n') ? prompt : `${prompt}\n`}</span>}
          {spans ? spanPieces(text, spans).map((p, k) => (p.trained ? <mark key={k}>{p.text}</mark> : <span key={k}>{p.text}</span>)) : text}
        </pre>
      ) : (
        <pre>{JSON.stringify(sample, null, 2).slice(0, MAX_CHARS)}</pre>
      )}
    </details>
  );
}
