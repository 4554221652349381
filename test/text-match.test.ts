import { describe, expect, it } from 'vitest';
import { matchScore, normalizeText } from '../src/domain/text-match.js';

describe('text matching', () => {
  it('normalises case, accents and spacing', () => {
    expect(normalizeText('  García   LÓPEZ ')).toBe('garcia lopez');
  });

  it.each([
    ['EXACT', 'Virtanen', 'virtanen', 1],
    ['EXACT', 'Virtanen', 'Virta', null],
    ['BEGINS_WITH', 'Virtanen', 'virt', 0.8],
    ['BEGINS_WITH', 'Virtanen', 'tanen', null],
    ['ENDS_WITH', 'Virtanen', 'TANEN', 0.8],
    ['ENDS_WITH', 'Virtanen', 'virt', null],
    ['FUZZY', 'Virtanen', 'virtamen', 0.8],
    ['FUZZY', 'Virtanen', 'virtnaen', 0.7],
    ['FUZZY', 'Virtanen', 'lindqvist', null],
    ['FUZZY', 'Fernández', 'fernandez', 1],
    ['FUZZY', 'Lee', 'Lea', null],
  ] as const)('%s: %s vs %s → %s', (mode, candidate, wanted, expected) => {
    expect(matchScore(mode, candidate, wanted)).toBe(expected);
  });

  it('matches nothing against an empty candidate or an empty wish', () => {
    expect(matchScore('FUZZY', null, 'x')).toBeNull();
    expect(matchScore('BEGINS_WITH', 'Virtanen', '   ')).toBeNull();
  });
});
