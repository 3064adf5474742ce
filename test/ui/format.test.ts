import {describe, expect, it} from 'vitest';
import {
	alignRight,
	formatAxis,
	formatCompact,
	formatCount,
	formatIteration,
	formatDuration,
	formatExponent,
	formatFixed,
	formatGrouped,
	formatPercent,
	formatRate,
	formatSignificant,
	NOT_A_NUMBER,
} from '../../src/ui/format.js';

const NON_FINITE = [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY];

describe('alignRight', () => {
	it('right-aligns, and never cuts a number: too long is #', () => {
		expect(alignRight('12', 5)).toBe('   12');
		expect(alignRight('123456', 5)).toBe('#####');
	});
});

describe('formatExponent', () => {
	it('writes two-digit exponents', () => {
		expect(formatExponent(1.2e9, 2)).toBe('1.2e+09');
		expect(formatExponent(3.4e-7, 2)).toBe('3.4e-07');
		expect(formatExponent(-1.23456e123, 3)).toBe('-1.23e+123');
		expect(formatExponent(5, 1)).toBe('5e+00');
	});
});

describe('formatFixed (weights, bias)', () => {
	it('keeps a fixed number of decimals in a fixed width', () => {
		// The study note's GD weights after 5000 iterations.
		expect(formatFixed(25.41862187, 9)).toBe('  25.4186');
		expect(formatFixed(-23.60046384, 9)).toBe(' -23.6005');
		expect(formatFixed(16.38568321, 9)).toBe('  16.3857');
		expect(formatFixed(0, 9)).toBe('   0.0000');
		expect(formatFixed(1, 9, 2)).toBe('     1.00');
	});

	it('does not show a negative zero', () => {
		expect(formatFixed(-0.00001, 9)).toBe('   0.0000');
		expect(formatFixed(-0, 6, 1)).toBe('   0.0');
	});

	it('switches to exponent form where a value of either sign would not fit, with three digits', () => {
		expect(formatFixed(999.9999, 9)).toBe(' 999.9999');
		expect(formatFixed(-999.9999, 9)).toBe('-999.9999');
		expect(formatFixed(999.99996, 9)).toBe(' 1.00e+03');
		expect(formatFixed(1234.5678, 9)).toBe(' 1.23e+03');
		expect(formatFixed(-1234.5678, 9)).toBe('-1.23e+03');
		expect(formatFixed(1.5e30, 9)).toBe(' 1.50e+30');
		expect(formatFixed(-9.87e300, 9)).toBe('-9.9e+300');
	});

	it('gives a diverged row one form (issue 10: not -2.70e+03 beside 4570.9932 and 1.195e+04)', () => {
		expect([-2701.2345, 4570.99321, 11950.3].map((value) => formatFixed(value, 9))).toEqual([
			'-2.70e+03',
			' 4.57e+03',
			' 1.20e+04',
		]);
	});

	it('keeps every output exactly as wide as asked', () => {
		for (const value of [0, 1, -1, 123.456, -98765.4321, 1e10, -1e-10, 7.77e-300, 1.79e308, -1.79e308]) {
			for (const width of [6, 9, 12]) expect(formatFixed(value, width)).toHaveLength(width);
		}
	});
});

describe('formatSignificant (loss)', () => {
	it('shows significant digits in a fixed width', () => {
		expect(formatSignificant(30.529067414418, 10)).toBe(' 30.529067');
		expect(formatSignificant(592.14673, 10)).toBe(' 592.14673');
		expect(formatSignificant(30.529067414418, 8, 5)).toBe('  30.529');
		expect(formatSignificant(0, 10)).toBe('         0');
	});

	it('uses exponent form for large and tiny numbers', () => {
		expect(formatSignificant(123456789012, 10)).toBe('  1.23e+11');
		expect(formatSignificant(1.2345e-9, 10)).toBe('  1.23e-09');
		expect(formatSignificant(6.02e23, 8)).toBe('6.02e+23');
		// The same three digits as the weights beside it, not 3.9566e+10.
		expect(formatSignificant(3.95663e10, 10)).toBe('  3.96e+10');
		// Fixed while the integer part has at most `digits` digits.
		expect(formatSignificant(12345678.9, 10)).toBe('  12345679');
		expect(formatSignificant(123456789, 10)).toBe('  1.23e+08');
	});

	it('rounds without changing the width', () => {
		expect(formatSignificant(9.99999999, 10)).toBe('10.0000000');
		expect(formatSignificant(9.99999999, 10)).toHaveLength(10);
	});
});

describe('formatPercent (gap to L*)', () => {
	it('writes a fraction as a percentage with three significant digits, at most three decimals', () => {
		expect(formatPercent(0.1234, 7)).toBe('  12.3%');
		expect(formatPercent(0.0323, 7)).toBe('  3.23%');
		expect(formatPercent(0.01, 7)).toBe('  1.00%');
		expect(formatPercent(0.00105, 7)).toBe(' 0.105%');
		expect(formatPercent(0.000355, 7)).toBe(' 0.036%');
		expect(formatPercent(0.9996, 7)).toBe('   100%');
		expect(formatPercent(0, 7)).toBe('     0%');
	});

	it('never writes an exponent: tiny gaps are "<0.001%" (issue 10: not 8e-24%)', () => {
		expect(formatPercent(8e-26, 7)).toBe('<0.001%');
		expect(formatPercent(4e-7, 7)).toBe('<0.001%');
		expect(formatPercent(1e-5, 7)).toBe(' 0.001%');
	});

	it('fits a huge gap in the width with a suffix', () => {
		expect(formatPercent(12.5, 7)).toBe(' 1.25k%');
		expect(formatPercent(12345, 7)).toBe(' 1.23M%');
		expect(formatPercent(12345, 9)).toBe('   1.23M%');
	});
});

describe('formatCount', () => {
	it('uses thousands separators while they fit, then k/M/G', () => {
		expect(formatCount(5000, 8)).toBe('   5,000');
		expect(formatCount(1234567, 9)).toBe('1,234,567');
		// As many digits as fit: the samples clock's racers differ in the last ones.
		expect(formatCount(1234567, 8)).toBe('1.23457M');
		expect(formatCount(12_345_678, 9)).toBe('12.34568M');
		expect(formatCount(1_250_000, 7)).toBe('  1.25M');
		expect(formatCount(2.5e9, 7)).toBe('   2.5G');
		expect(formatCount(0, 7)).toBe('      0');
	});

	it('never rounds up to 1000 of a unit', () => {
		expect(formatCount(999_999, 6)).toBe('    1M');
		expect(formatCount(999_499, 6)).toBe('999.5k');
		expect(formatCount(999_999_999, 6)).toBe('    1G');
	});
});

describe('formatGrouped', () => {
	it('writes thousands separators with a fixed number of decimals (issue 10: finished @2,748)', () => {
		expect(formatGrouped(2748)).toBe('2,748');
		expect(formatGrouped(162.88235, 2)).toBe('162.88');
		expect(formatGrouped(1234567.891, 2)).toBe('1,234,567.89');
		expect(formatGrouped(-1234)).toBe('-1,234');
		expect(formatGrouped(Number.NaN)).toBe('—');
	});
});

describe('formatIteration (the table\'s iter column)', () => {
	it('shows a pass in progress as a fraction, never rounded up to a pass not done (issue 10 item 3)', () => {
		expect(formatIteration(42 / 17, 8)).toBe('    2.47');
		expect(formatIteration(16 / 17, 6)).toBe('  0.94');
		expect(formatIteration(12_345 + 16 / 17, 9)).toBe('12,345.94');
		expect(formatIteration(5000, 8)).toBe('   5,000');
		// Too narrow for the fraction: the completed passes.
		expect(formatIteration(12_345 + 16 / 17, 6)).toBe('12,345');
	});
});

describe('formatCompact', () => {
	it('writes short numbers for axis ticks', () => {
		expect([0, 500, 1000, 1500, 2000, 12500, 1e6, 0.5, 0.1, 2.5e-4].map((v) => formatCompact(v))).toEqual([
			'0',
			'500',
			'1k',
			'1.5k',
			'2k',
			'12.5k',
			'1M',
			'0.5',
			'0.1',
			'2.5e-04',
		]);
		expect(formatCompact(-2500)).toBe('-2.5k');
		expect(formatCompact(1e40)).toBe('1e+40');
	});
});

describe('formatRate', () => {
	it('writes updates per second compactly', () => {
		expect(formatRate(12345, 8)).toBe(' 12.3k/s');
		expect(formatRate(950, 8)).toBe('   950/s');
		expect(formatRate(0, 8)).toBe('     0/s');
		expect(formatRate(2_345_678, 8)).toBe(' 2.35M/s');
	});
});

describe('formatDuration', () => {
	it('picks the unit that keeps about three significant digits', () => {
		expect(formatDuration(0.1234)).toBe('0.12 ms');
		expect(formatDuration(12.34)).toBe('12.3 ms');
		expect(formatDuration(850)).toBe('850 ms');
		expect(formatDuration(999.7)).toBe('1.00 s');
		expect(formatDuration(12_345)).toBe('12.3 s');
		expect(formatDuration(125_000)).toBe('2m05s');
		expect(formatDuration(3_725_000)).toBe('1h02m');
		expect(formatDuration(850, 8)).toBe('  850 ms');
	});
});

describe('formatAxis', () => {
	it('shows just enough digits to tell ticks apart', () => {
		expect([0, 100, 200, 600].map((v) => formatAxis(v, 100))).toEqual(['0', '100', '200', '600']);
		expect([30.5, 30.55, 30.6].map((v) => formatAxis(v, 0.05))).toEqual(['30.50', '30.55', '30.60']);
		expect(formatAxis(0.1 + 0.2, 0.1)).toBe('0.3');
		expect(formatAxis(1.2e9, 1e8)).toBe('1.2e+09');
		expect(formatAxis(1.25e9, 5e7)).toBe('1.25e+09');
		expect(formatAxis(3.5e-7, 5e-8)).toBe('3.5e-07');
		expect(formatAxis(3e-7, 1e-7)).toBe('3e-07');
		expect([1e7, 8e6, 6e6].map((v) => formatAxis(v, 2e6))).toEqual(['1e+07', '8e+06', '6e+06']);
		expect(formatAxis(1e-17, 0.5)).toBe('0');
	});

	it('without a step shows up to three significant digits', () => {
		expect([1000, 100, 10, 1, 0.1, 0.01, 0.001, 1e-4, 1e6, 200, 3.16e-7].map((v) => formatAxis(v))).toEqual([
			'1000',
			'100',
			'10',
			'1',
			'0.1',
			'0.01',
			'0.001',
			'1e-04',
			'1e+06',
			'200',
			'3.16e-07',
		]);
	});

	it('never writes more than 9 characters', () => {
		for (const value of [1.23456e300, -1.23456e-300, 123456.789, -0.00123456, 999999]) {
			expect(formatAxis(value).length).toBeLessThanOrEqual(9);
			expect(formatAxis(value, Math.abs(value) / 7).length).toBeLessThanOrEqual(9);
		}
	});
});

describe('every format', () => {
	it('never writes NaN or Infinity', () => {
		const outputs = NON_FINITE.flatMap((value) => [
			formatFixed(value, 9),
			formatSignificant(value, 10),
			formatPercent(value, 7),
			formatCount(value, 8),
			formatCompact(value),
			formatRate(value, 8),
			formatDuration(value),
			formatAxis(value),
			formatAxis(value, 1),
			formatExponent(value, 3),
		]);
		for (const text of outputs) {
			expect(text).not.toMatch(/NaN|Infinity/);
			expect(text.trim()).toBe(NOT_A_NUMBER);
		}
	});
});
