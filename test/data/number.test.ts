import {describe, expect, it} from 'vitest';
import {PLAIN_NUMBER, parsePlainNumber} from '../../src/data/number.js';

/** The definition, written the slow way: trim, match the grammar, let `Number` convert. */
function reference(text: string): number {
	const trimmed = text.trim();
	return PLAIN_NUMBER.test(trimmed) ? Number(trimmed) : Number.NaN;
}

/** mulberry32: a small deterministic generator, so a failure always reproduces. */
function generator(seed: number): () => number {
	let a = seed >>> 0;
	return () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

describe('parsePlainNumber', () => {
	it('accepts the plain decimal forms', () => {
		const cases: readonly (readonly [string, number])[] = [
			['0', 0],
			['-0', -0],
			['+7', 7],
			['.5', 0.5],
			['5.', 5],
			['6.575', 6.575],
			['  -2.5E-2\t', -0.025],
			['1e3', 1000],
			['1E+3', 1000],
			['0012', 12],
			['0.1', 0.1],
			['123456789012345', 123456789012345],
			['1e-400', 0],
			['1e400', Number.POSITIVE_INFINITY],
			['\u00a03\u00a0', 3],
		];
		for (const [text, value] of cases) expect(Object.is(parsePlainNumber(text), value), text).toBe(true);
	});

	it('refuses everything else', () => {
		for (const text of ['', ' ', '-', '+', '.', 'e5', '1e', '1e+', '1.2.3', '1,000', '0x10', '0b1', '1_000', 'NaN', 'Infinity', '-inf', '5kg', '--1', '+-1', '1 2', '١']) {
			expect(parsePlainNumber(text), JSON.stringify(text)).toBeNaN();
		}
	});

	it('agrees bit for bit with Number on 200,000 generated strings', () => {
		const random = generator(2023);
		const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
		const digits = (n: number): string => Array.from({length: n}, () => String(Math.floor(random() * 10))).join('');
		let disagreements = 0;
		let numbers = 0;
		for (let k = 0; k < 200_000; k++) {
			let text: string;
			const kind = random();
			if (kind < 0.4) {
				// Numbers as JavaScript prints them, over a wide range of magnitudes.
				const value = (random() - 0.5) * 10 ** Math.floor(random() * 60 - 30);
				text = random() < 0.5 ? String(value) : value.toPrecision(1 + Math.floor(random() * 21));
			} else if (kind < 0.9) {
				// Assembled from the grammar's parts, with random lengths (around the 15-digit and
				// ±22 boundaries of the fast path) and occasional junk.
				text =
					pick(['', '', '-', '+', ' ']) +
					digits(Math.floor(random() * 20)) +
					pick(['', '.', '.', '..']) +
					digits(Math.floor(random() * 20)) +
					pick(['', '', 'e', 'E', 'e-', 'e+', 'x']) +
					(random() < 0.7 ? String(Math.floor(random() * 40)) : '') +
					pick(['', '', ' ', '\t', 'a', ',']);
			} else {
				text = Array.from({length: Math.floor(random() * 6)}, () => pick(['1', '0', '.', 'e', '-', '+', ' ', 'x', '9'])).join('');
			}
			const value = parsePlainNumber(text);
			if (!Object.is(value, reference(text))) disagreements++;
			if (!Number.isNaN(value)) numbers++;
		}
		expect(disagreements).toBe(0);
		// Both sides of the grammar are well covered.
		expect(numbers).toBeGreaterThan(60_000);
		expect(numbers).toBeLessThan(180_000);
	});
});
