import { distance } from 'fastest-levenshtein';

export const MATCH_MODES = ['EXACT', 'BEGINS_WITH', 'ENDS_WITH', 'FUZZY'] as const;
export type MatchMode = (typeof MATCH_MODES)[number];

/** Case-, accent- and spacing-insensitive form: "García  López" → "garcia lopez". */
export function normalizeText(value: string): string {
  return value.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase().replace(/\s+/g, ' ').trim();
}

/** Edits FUZZY tolerates: 0 up to 3 characters, 1 up to 7, 2 beyond — so short words do not match everything. */
export function fuzzyTolerance(length: number): number {
  return length <= 3 ? 0 : length <= 7 ? 1 : 2;
}

/**
 * How well `candidate` matches `wanted` under `mode`: 1 for an exact match, 0.8 for a prefix or
 * suffix, 0.8 or 0.7 for a fuzzy one with one or two edits, null for no match.
 * Comparison is on normalised text (see normalizeText).
 * @example matchScore('FUZZY', 'Virtanen', 'virtamen') // 0.8
 */
export function matchScore(mode: MatchMode, candidate: string | null | undefined, wanted: string): number | null {
  if (!candidate) return null;
  const have = normalizeText(candidate);
  const want = normalizeText(wanted);
  if (want.length === 0) return null;
  if (have === want) return 1;
  switch (mode) {
    case 'EXACT':
      return null;
    case 'BEGINS_WITH':
      return have.startsWith(want) ? 0.8 : null;
    case 'ENDS_WITH':
      return have.endsWith(want) ? 0.8 : null;
    case 'FUZZY': {
      const edits = distance(have, want);
      return edits <= fuzzyTolerance(want.length) ? 0.9 - 0.1 * edits : null;
    }
  }
}
