/**
 * Number formats for the live screen, one rule per kind of number so that racers compare at a
 * glance: counts with thousands separators (`2,748`), weights with four decimals, losses with
 * eight significant digits, gaps in percent, and outside a column's fixed range the same
 * exponent form everywhere, three significant digits (`-2.70e+03`, `3.96e+10`). Every function
 * returns finite-looking text: NaN and ±Infinity become an em dash, never "NaN" or "Infinity".
 * The fixed-width forms right-align in their width and never overflow it: a number that cannot be
 * written in the width at all shows as '#' × width (a cut-off number would lie).
 */

/** Shown in place of a number that is not finite. */
export const NOT_A_NUMBER = '—';

/** `text` right-aligned in `width` cells; '#' × width when it is longer. */
export function alignRight(text: string, width: number): string {
	if (text.length > width) return '#'.repeat(Math.max(0, width));
	return text.padStart(width);
}

/** Removes trailing zeros after a decimal point (and the point itself): '1.500' → '1.5', '2.0e+03' → '2e+03'. */
function trimZeros(text: string): string {
	const at = text.indexOf('e');
	const mantissa = at < 0 ? text : text.slice(0, at);
	const exponent = at < 0 ? '' : text.slice(at);
	if (!mantissa.includes('.')) return text;
	return mantissa.replace(/\.?0+$/, '') + exponent;
}

/** `value` in exponent form with `digits` significant digits and an exponent of at least two digits: 1.23e+09, -4.5e-07. */
export function formatExponent(value: number, digits: number): string {
	if (!Number.isFinite(value)) return NOT_A_NUMBER;
	const text = value.toExponential(Math.min(20, Math.max(0, Math.round(digits) - 1)));
	return text.replace(/e([+-])(\d)$/, 'e$10$2');
}

/** The exponent form of `value` with as many significant digits (at most `digits`) as fit in `width`, or undefined. */
function fitExponent(value: number, width: number, digits: number): string | undefined {
	for (let d = Math.min(Math.max(1, digits), 17); d >= 1; d--) {
		const text = formatExponent(value, d);
		if (text.length <= width) return text;
	}
	return undefined;
}

/** Significant digits of the exponent form on the screen. */
export const EXPONENT_DIGITS = 3;

/**
 * A fixed number of decimals in a fixed width (weights, bias): `formatFixed(25.41862187, 9)` →
 * '  25.4186'. Fixed while a value of either sign would fit (|value| < 1000 for 4 decimals in 9),
 * exponent form with three significant digits beyond, so that a column never mixes '4570.9932'
 * and '-2.70e+03'.
 */
export function formatFixed(value: number, width: number, decimals = 4): string {
	if (!Number.isFinite(value)) return alignRight(NOT_A_NUMBER, width);
	// Room for the sign, the integer digits, the point and the decimals.
	const limit = 10 ** Math.max(0, width - decimals - 2);
	if (Math.abs(value) < limit) {
		let text = value.toFixed(decimals);
		// -0.00001 rounds to zero: show it without the sign.
		if (Number(text) === 0) text = (0).toFixed(decimals);
		// 999.99996 rounds up to 1000.0000: that one goes to exponent form too.
		if (text.replace('-', '').length <= width - 1) return text.padStart(width);
	}
	return alignRight(fitExponent(value, width, EXPONENT_DIGITS) ?? '#'.repeat(width + 1), width);
}

/**
 * `digits` significant digits in a fixed width (loss): `formatSignificant(30.529067414418, 10)`
 * → ' 30.529067'. Fixed notation from 1e-4 while the integer part has at most `digits` digits,
 * exponent form with three significant digits otherwise ('3.96e+10', '5.12e-26').
 * @default digits width − 2
 */
export function formatSignificant(value: number, width: number, digits = width - 2): string {
	if (!Number.isFinite(value)) return alignRight(NOT_A_NUMBER, width);
	if (value === 0) return alignRight('0', width);
	const magnitude = Math.floor(Math.log10(Math.abs(value)));
	if (magnitude >= -4 && magnitude < Math.max(1, digits)) {
		for (let d = Math.max(1, digits); d >= 1; d--) {
			const decimals = Math.max(0, d - 1 - magnitude);
			const text = value.toFixed(decimals);
			// Fewer digits are only tried while the integer part still fits (no rounding 123456 to 123000).
			if (text.length <= width) return text.padStart(width);
			if (decimals === 0) break;
		}
	}
	return alignRight(fitExponent(value, width, Math.min(EXPONENT_DIGITS, Math.max(1, digits))) ?? '#'.repeat(width + 1), width);
}

/** The smallest percentage written as a number; below it a gap shows as '<0.001%'. */
export const PERCENT_FLOOR = 1e-3;

/**
 * A fraction as a percentage (gap to L*), one rule for the column: `digits` significant digits
 * but at most three decimals ('72.7%', '3.23%', '0.105%', '0.036%'), '<0.001%' below that, '0%'
 * for none, a suffix from 1,000 % ('13.1k%'), never an exponent such as '8e-24%'.
 * @default digits 3
 */
export function formatPercent(fraction: number, width: number, digits = 3): string {
	if (!Number.isFinite(fraction)) return alignRight(NOT_A_NUMBER, width);
	const percent = fraction * 100;
	const size = Math.abs(percent);
	let text: string;
	if (percent === 0) text = '0';
	else if (size < PERCENT_FLOOR) text = `<${PERCENT_FLOOR}`;
	else if (Number(size.toPrecision(digits)) < 1000) {
		const magnitude = Math.floor(Math.log10(Number(size.toPrecision(digits))));
		text = percent.toFixed(Math.min(3, Math.max(0, digits - 1 - magnitude)));
	} else text = formatCompact(percent, digits);
	return alignRight(`${text}%`, width);
}

/** `value` with thousands separators and `decimals` decimals: 2748 → '2,748', 162.8823 → '162.88'. */
export function formatGrouped(value: number, decimals = 0): string {
	if (!Number.isFinite(value)) return NOT_A_NUMBER;
	if (Math.abs(value) >= 1e21) return formatExponent(value, EXPONENT_DIGITS);
	const text = value.toFixed(decimals);
	const point = text.indexOf('.');
	const whole = point < 0 ? text : text.slice(0, point);
	return whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',') + (point < 0 ? '' : text.slice(point));
}

const SUFFIXES = ['', 'k', 'M', 'G', 'T', 'P', 'E'] as const;

/**
 * A compact number without padding, at most `digits` significant digits, trailing zeros dropped,
 * with k/M/G/T/P/E suffixes from a thousand up: 1500 → '1.5k', 1250000 → '1.25M', 0.5 → '0.5'.
 * @default digits 3
 */
export function formatCompact(value: number, digits = 3): string {
	if (!Number.isFinite(value)) return NOT_A_NUMBER;
	if (value === 0) return '0';
	const sign = value < 0 ? '-' : '';
	const size = Math.abs(value);
	if (size < 1e-3) return sign + trimZeros(formatExponent(size, digits));
	let unit = 0;
	let scaled = size;
	while (scaled >= 1000 && unit < SUFFIXES.length - 1) {
		scaled /= 1000;
		unit++;
	}
	let rounded = Number(scaled.toPrecision(digits));
	// 999.95k rounds to 1000k: that is 1M.
	if (rounded >= 1000 && unit < SUFFIXES.length - 1) {
		unit++;
		rounded = Number((scaled / 1000).toPrecision(digits));
	}
	if (rounded >= 1000) return sign + trimZeros(formatExponent(size, digits));
	return `${sign}${trimZeros(String(rounded))}${SUFFIXES[unit]}`;
}

/**
 * A count (iterations, samples) in a fixed width: with thousands separators while they fit, then
 * with a suffix and as many significant digits as fit, so that neighbours stay comparable:
 * 5000 → '5,000', 1234567 in 8 → '1.23457M'.
 */
export function formatCount(value: number, width: number): string {
	if (!Number.isFinite(value)) return alignRight(NOT_A_NUMBER, width);
	const whole = Math.round(value);
	if (Math.abs(whole) < 1e21) {
		const text = formatGrouped(whole);
		if (text.length <= width) return text.padStart(width);
	}
	for (let digits = Math.min(15, Math.max(1, width - 2)); digits >= 1; digits--) {
		const text = formatCompact(whole, digits);
		if (text.length <= width) return text.padStart(width);
	}
	return alignRight('#'.repeat(width + 1), width);
}

/**
 * An iteration count in a fixed width: whole with separators, or with two decimals inside an
 * mb-epoch pass (`2.47`), truncated rather than rounded so it never shows a pass not yet done.
 */
export function formatIteration(value: number, width: number): string {
	if (!Number.isFinite(value) || Number.isInteger(value)) return formatCount(value, width);
	const whole = Math.floor(value);
	const hundredths = Math.floor((value - whole) * 100);
	const text = `${formatCount(whole, 24).trimStart()}.${String(hundredths).padStart(2, '0')}`;
	return text.length <= width ? text.padStart(width) : formatCount(whole, width);
}

/** A rate per second, compact: 12345 → '12.3k/s'. Negative or non-finite rates show as a dash. */
export function formatRate(perSecond: number, width: number): string {
	if (!Number.isFinite(perSecond) || perSecond < 0) return alignRight(NOT_A_NUMBER, width);
	for (let digits = 3; digits >= 1; digits--) {
		const text = `${formatCompact(perSecond, digits)}/s`;
		if (text.length <= width) return text.padStart(width);
	}
	return alignRight('#'.repeat(width + 1), width);
}

/**
 * A duration given in milliseconds, about three significant digits: '0.12 ms', '850 ms',
 * '12.3 s', '2m05s', '1h02m'. Padded to `width` when given.
 */
export function formatDuration(ms: number, width = 0): string {
	if (!Number.isFinite(ms) || ms < 0) return width > 0 ? alignRight(NOT_A_NUMBER, width) : NOT_A_NUMBER;
	let text: string;
	if (ms < 999.5) {
		text = `${ms < 9.995 ? ms.toFixed(2) : ms < 99.95 ? ms.toFixed(1) : ms.toFixed(0)} ms`;
	} else if (ms < 59_950) {
		const seconds = ms / 1000;
		text = `${seconds < 9.995 ? seconds.toFixed(2) : seconds.toFixed(1)} s`;
	} else if (ms < 3_600_000 - 500) {
		const total = Math.round(ms / 1000);
		text = `${Math.floor(total / 60)}m${String(total % 60).padStart(2, '0')}s`;
	} else {
		const minutes = Math.round(ms / 60_000);
		text = `${Math.floor(minutes / 60)}h${String(minutes % 60).padStart(2, '0')}m`;
	}
	return width > 0 ? alignRight(text, width) : text;
}

/** Longest axis label. */
const AXIS_WIDTH = 9;

/** Exponent form in at most AXIS_WIDTH characters, with at most `digits` significant digits. */
function axisExponent(value: number, digits: number, trim: boolean): string {
	for (let d = digits; d >= 1; d--) {
		const text = trim ? trimZeros(formatExponent(value, d)) : formatExponent(value, d);
		if (text.length <= AXIS_WIDTH) return text;
	}
	// '-1e-300': always fits.
	return formatExponent(value, 1);
}

/**
 * An axis label, readable at any scale, at most 9 characters. With `step` (the distance between
 * ticks) it shows just enough digits to tell neighbouring ticks apart ('0.05', '1.2e+09');
 * without, up to three significant digits ('1000', '0.001', '3.16e-07').
 */
export function formatAxis(value: number, step?: number): string {
	if (!Number.isFinite(value)) return NOT_A_NUMBER;
	const size = Math.abs(value);
	if (step !== undefined && Number.isFinite(step) && step > 0) {
		const stepMagnitude = Math.floor(Math.log10(step) + 1e-9);
		// A value within a hundredth of a step from zero is zero (lo + k·step leaves dust).
		if (size < step * 1e-2) return '0';
		if (size >= 1e6 || size < 1e-3) {
			const digits = Math.floor(Math.log10(size) + 1e-9) - stepMagnitude + 1;
			// Trailing zeros trimmed, so neighbours read alike: '1e+07' beside '8e+06', not '1.0e+07'.
			return axisExponent(value, Math.min(4, Math.max(1, digits)), true);
		}
		const text = value.toFixed(Math.min(6, Math.max(0, -stepMagnitude)));
		return text.length <= AXIS_WIDTH ? text : axisExponent(value, 4, false);
	}
	if (size === 0) return '0';
	if (size >= 1e6 || size < 1e-3) return axisExponent(value, 3, true);
	return String(Number(value.toPrecision(3)));
}
