/** Node colours for each colour mode, and the legend that explains them. */
import type { Rating } from '../../../common/domain';

export const COLOUR_MODES = ['label', 'exact', 'score', 'value'] as const;
export type ColourMode = (typeof COLOUR_MODES)[number];

export const RATING_COLOURS: Record<string, string> = {
  '-1': '#b3403a',
  '0': '#8a7a3a',
  '1': '#2f8a4f',
};

export function ratingColour(r: Rating | null): string | null {
  return r === null ? null : RATING_COLOURS[String(r)]!;
}

/** Red (0) through amber to green (1). */
export function scaleColour(t: number): string {
  const clamped = Math.min(1, Math.max(0, t));
  const hue = Math.round(4 + clamped * 128);
  return `hsl(${hue} 52% 36%)`;
}

/**
 * The domain a numeric mode is coloured over: probabilities keep [0, 1] so colours mean the same
 * in every run; anything else is stretched over what this run holds.
 */
export function colourDomain(range: [number, number] | null): [number, number] | null {
  if (!range) return null;
  const [lo, hi] = range;
  if (lo >= 0 && hi <= 1) return [0, 1];
  return hi > lo ? [lo, hi] : [lo - 1, hi + 1];
}

export function numericColour(v: number | null, domain: [number, number] | null): string | null {
  if (v === null || !domain || !Number.isFinite(v)) return null;
  return scaleColour((v - domain[0]) / (domain[1] - domain[0]));
}
