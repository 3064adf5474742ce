/**
 * Text in terminal columns (src/text-width.ts): a CSV's column names may be Korean, as the study
 * note's own language is, and every table and wrapped line that shows them must stay in line.
 */
import {describe, expect, it} from 'vitest';
import {padEndToWidth, padStartToWidth, splitAtWidth, textWidth, truncateToWidth} from '../../src/text-width.js';
import {wrapWords} from '../../src/wrap-words.js';

describe('text in columns', () => {
	it('measures wide characters as two columns, and pads, cuts and splits by columns', () => {
		expect(textWidth('방수')).toBe(4);
		expect(textWidth('RM')).toBe(2);
		expect(padEndToWidth('방수', 6)).toBe('방수  ');
		expect(padStartToWidth('방수', 6)).toBe('  방수');
		expect(truncateToWidth('저소득층비율', 7)).toBe('저소득…');
		expect(textWidth(truncateToWidth('저소득층비율', 8))).toBeLessThanOrEqual(8);
		expect(truncateToWidth('RM', 2)).toBe('RM');
		// Never half a wide character, never half a surrogate pair.
		expect(splitAtWidth('방수a', 3)).toEqual(['방', '수a']);
		expect(splitAtWidth('😀x', 1)).toEqual(['', '😀x']);
	});

	it('wraps at spaces in columns, and cuts a long word between characters', () => {
		expect(wrapWords('방수 저소득층비율 집값', 12)).toEqual(['방수', '저소득층비율', '집값']);
		expect(wrapWords('저소득층비율', 5)).toEqual(['저소', '득층', '비율']);
		for (const line of wrapWords('/데이터/보스턴/주택.csv: 506 rows, 방수, 저소득층비율 → 집값', 14)) expect(textWidth(line)).toBeLessThanOrEqual(14);
		// A character wider than the whole line gets a line of its own rather than a loop.
		expect(wrapWords('방수', 1)).toEqual(['방', '수']);
	});
});
