/** Small display helpers. */
import type { Rating } from '../../../common/domain';

export function fmtRating(r: Rating | null | undefined): string {
  if (r === null || r === undefined) return '·';
  return r === 1 ? '+1' : r === -1 ? '−1' : '0';
}

/** "1 step", "2 steps", "1,204 steps". */
export function plural(n: number, word: string): string {
  return `${n.toLocaleString()} ${word}${n === 1 ? '' : 's'}`;
}

export function fmtNum(v: number | null | undefined, digits = 3): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return '—';
  if (Number.isInteger(v)) return v.toLocaleString();
  return v.toFixed(digits);
}

export function fmtDuration(seconds: number): string {
  if (seconds < 60) return `${seconds}s`;
  const m = Math.floor(seconds / 60);
  if (m < 60) return `${m}m ${String(seconds % 60).padStart(2, '0')}s`;
  return `${Math.floor(m / 60)}h ${String(m % 60).padStart(2, '0')}m`;
}

export function fmtWhen(iso: string): string {
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return iso;
  const s = Math.round((Date.now() - t) / 1000);
  if (s < 60) return 'just now';
  if (s < 3600) return `${Math.floor(s / 60)} min ago`;
  if (s < 86400) return `${Math.floor(s / 3600)} h ago`;
  return new Date(t).toLocaleDateString();
}

export function basename(p: string): string {
  return p.split(/[\\/]/).pop() || p;
}

export const FINISH_LABELS = {
  solution: 'Solution',
  found_error: 'Found error',
  bad_problem: 'Bad problem',
  give_up: 'Give up',
} as const;
