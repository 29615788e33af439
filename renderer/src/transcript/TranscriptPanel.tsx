/**
 * The transcript beside the tree: the text as the model wrote it, cut into its steps, each with
 * its function tag and its relation to the thought before. Clicking a step selects its node (and
 * the tree's selection scrolls here). The selected step can be split at the cursor, merged with
 * the next one, retagged or moved under another parent; every edit goes through the history.
 */
import { useEffect, useRef, useState, type ReactNode } from 'react';
import type { Transcript, TranscriptEdit, TranscriptStep } from '../../../common/contract/transcript';
import { STEP_RELATIONS, STEP_TAGS } from '../../../common/longcot';
import type { RunModel } from '../model/run-model';
import { useClient } from '../shell/events';
import { useToaster } from '../ui/toasts';
import { RELATION_LABELS, RELATION_MARKS, TAG_COLOURS, TAG_LABELS } from './tags';
import { CorpusStats } from './CorpusStats';
import { TranscriptStats } from './TranscriptStats';
import { useTranscript } from './useTranscript';
import './transcript.css';

interface Props {
  model: RunModel;
  selected: number | null;
  onSelect(nodeId: number): void;
  annotator: string;
}

/** Where the caret sits inside a step's text, read from the document selection. */
function caretIn(el: HTMLElement | null): number | null {
  const sel = window.getSelection();
  if (!el || !sel || sel.rangeCount === 0 || !sel.isCollapsed) return null;
  const node = sel.anchorNode;
  if (!node || !el.contains(node) || node.nodeType !== Node.TEXT_NODE) return null;
  return sel.anchorOffset;
}

function Wrapper({ text }: { text: string }) {
  return text ? <span className="ts-wrapper">{text}</span> : null;
}

function StepView({ step, index, selected, onClick, textRef }: {
  step: TranscriptStep;
  index: number;
  selected: boolean;
  onClick(): void;
  textRef?: (el: HTMLSpanElement | null) => void;
}) {
  const classes = ['ts-step', selected ? 'is-selected' : '', step.abandoned ? 'is-abandoned' : '', `rel-${step.relation}`].join(' ');
  return (
    <div className={classes} data-node-id={step.nodeId} data-testid="transcript-step" onClick={onClick} style={{ borderLeftColor: TAG_COLOURS[step.tag] }}>
      <span className="ts-chips" aria-hidden>
        <span className="ts-index">{index + 1}</span>
        <span className="ts-tag" style={{ color: TAG_COLOURS[step.tag], borderColor: TAG_COLOURS[step.tag] }}>
          {TAG_LABELS[step.tag]}
        </span>
        {step.relation !== 'continue' && (
          <span className="ts-relation" title={RELATION_LABELS[step.relation]}>
            {RELATION_MARKS[step.relation]} {RELATION_LABELS[step.relation]}
          </span>
        )}
        {step.answer !== null && (
          <span className={`ts-answer ${step.outcome ?? ''}`} title="answer this step states">
            = {step.answer}
            {step.outcome === 'correct' ? ' ✓' : step.outcome === 'incorrect' ? ' ✗' : ''}
          </span>
        )}
      </span>
      <span className="ts-text" ref={textRef}>
        {step.text}
      </span>
    </div>
  );
}

/** Hands the keyboard back to the studio's keys (a focused select swallows them). */
function done(el: HTMLElement): true {
  el.blur();
  return true;
}

function Choice<T extends string>({ label, value, options, disabled, onPick, testId }: {
  label: string;
  value: T;
  options: [T, string][];
  disabled: boolean;
  onPick(value: T): void;
  testId?: string;
}) {
  return (
    <select aria-label={label} value={value} disabled={disabled} onChange={(e) => done(e.currentTarget) && onPick(e.target.value as T)} data-testid={testId}>
      {options.map(([v, text]) => (
        <option key={v} value={v}>
          {text}
        </option>
      ))}
    </select>
  );
}

function EditBar({ transcript, step, caret, busy, edit }: {
  transcript: Transcript;
  step: TranscriptStep;
  caret: number | null;
  busy: boolean;
  edit(e: TranscriptEdit): void;
}) {
  const at = transcript.steps.indexOf(step);
  const next = transcript.steps[at + 1];
  const canSplit = caret !== null && caret > 0 && caret < step.text.length;
  const earlier = transcript.steps.slice(0, at);
  return (
    <div className="ts-editbar" data-testid="transcript-editbar">
      <span className="ts-editbar-what">step {at + 1}</span>
      <button
        className="button small"
        disabled={busy || !canSplit}
        onClick={() => canSplit && edit({ op: 'split', nodeId: step.nodeId, offset: caret })}
        title="Click in the step's text to place the cursor, then split there"
        data-testid="transcript-split"
      >
        Split at cursor{canSplit ? ` (${caret})` : ''}
      </button>
      <button
        className="button small"
        disabled={busy || !next || next.section !== step.section}
        onClick={() => edit({ op: 'merge', nodeId: step.nodeId })}
        data-testid="transcript-merge"
      >
        Merge with next
      </button>
      <Choice
        label="Function tag"
        value={step.tag}
        options={STEP_TAGS.map((t) => [t, `${TAG_LABELS[t]} (${t.replaceAll('_', ' ')})`])}
        disabled={busy}
        onPick={(tag) => edit({ op: 'tag', nodeId: step.nodeId, tag })}
        testId="transcript-tag"
      />
      <Choice
        label="Relation"
        value={step.relation}
        options={STEP_RELATIONS.map((r) => [r, RELATION_LABELS[r]])}
        disabled={busy}
        onPick={(relation) => edit({ op: 'tag', nodeId: step.nodeId, relation })}
      />
      <select
        aria-label="Move under"
        value={step.parentId}
        disabled={busy}
        onChange={(e) => done(e.currentTarget) && edit({ op: 'move', nodeId: step.nodeId, parentId: Number(e.target.value) })}
        data-testid="transcript-move"
        title="Hang this step (and what follows from it) under the problem or an earlier step"
      >
        <option value={transcript.rootId}>under the problem</option>
        {earlier.map((s, i) => (
          <option key={s.nodeId} value={s.nodeId}>
            under step {i + 1}: {s.text.trim().slice(0, 40)}
          </option>
        ))}
      </select>
    </div>
  );
}

export function TranscriptPanel({ model, selected, onSelect, annotator }: Props) {
  const client = useClient();
  const toast = useToaster();
  const { transcript, error, replace } = useTranscript(model);
  // The caret inside a step's text, for "split at cursor"; read after clicks and key presses.
  const [caret, setCaret] = useState<{ nodeId: number; offset: number } | null>(null);
  const [busy, setBusy] = useState(false);
  const [corpus, setCorpus] = useState(false);
  const selectedText = useRef<HTMLSpanElement | null>(null);
  const body = useRef<HTMLDivElement>(null);

  // The tree's selection scrolls into view here.
  useEffect(() => {
    if (selected === null) return;
    body.current?.querySelector(`[data-node-id="${selected}"]`)?.scrollIntoView({ block: 'nearest' });
  }, [selected, transcript]);

  if (error) return <aside className="transcript-panel"><p className="ts-error">{error}</p></aside>;
  if (!transcript) return <aside className="transcript-panel"><p className="ts-loading">Loading transcript…</p></aside>;

  const edit = async (e: TranscriptEdit) => {
    setBusy(true);
    try {
      const { transcript: next } = await client.api.editTranscript({ annotator, edit: e });
      replace(next);
    } catch (err) {
      toast.error(err, 'Could not edit the transcript');
    } finally {
      setBusy(false);
    }
  };

  const step = transcript.steps.find((s) => s.nodeId === selected) ?? null;
  const readCaret = () => {
    const offset = caretIn(selectedText.current);
    const nodeId = Number(selectedText.current?.parentElement?.dataset.nodeId);
    setCaret(offset === null ? null : { nodeId, offset });
  };
  const parts: ReactNode[] = [<Wrapper key="prefix" text={transcript.prefix} />];
  transcript.steps.forEach((s, i) => {
    if (s.section === 'answer' && (i === 0 || transcript.steps[i - 1]!.section === 'reasoning')) parts.push(<Wrapper key="middle" text={transcript.middle} />);
    parts.push(
      <StepView
        key={s.nodeId}
        step={s}
        index={i}
        selected={s.nodeId === selected}
        onClick={() => {
          onSelect(s.nodeId);
          // The click placed the caret; the step's text is this step's once it renders selected.
          requestAnimationFrame(readCaret);
        }}
        textRef={s.nodeId === selected ? (el) => (selectedText.current = el) : undefined}
      />,
    );
  });
  parts.push(<Wrapper key="suffix" text={transcript.suffix} />);

  return (
    <aside className="transcript-panel" data-testid="transcript-panel" aria-label="Transcript">
      <header className="ts-header">
        <strong>Transcript</strong>
        <span className="ts-meta">
          {transcript.steps.length} steps · {transcript.segmenter} · {transcript.shape}
          {transcript.gold !== null && ` · gold ${transcript.gold}`}
        </span>
        <span className="spacer" />
        <button className={`button small${corpus ? ' is-active' : ''}`} aria-pressed={corpus} onClick={() => setCorpus((c) => !c)} title="Statistics over every transcript">
          Corpus
        </button>
      </header>
      {corpus ? <CorpusStats /> : <TranscriptStats transcript={transcript} />}
      {step && (
        <EditBar transcript={transcript} step={step} caret={caret?.nodeId === step.nodeId ? caret.offset : null} busy={busy} edit={(e) => void edit(e)} />
      )}
      <div className="ts-body" ref={body} onKeyUp={readCaret}>
        {parts}
      </div>
    </aside>
  );
}
