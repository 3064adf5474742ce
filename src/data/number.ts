/**
 * Strict parsing of a CSV cell as a number. Accepted, after trimming whitespace: an optional
 * sign, digits with an optional decimal point (`5`, `5.`, `.5`, `5.25`) and an optional exponent
 * (`1e-3`, `2E+5`). Refused: empty cells, `NaN`, `Infinity`, thousands separators, hex, binary,
 * underscores, units: anything else.
 */

/** A plain decimal number (the text already trimmed). */
export const PLAIN_NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/** Exact powers of ten: every 10^k with k <= 22 is a double. */
const POWERS = Array.from({length: 23}, (_, k) => 10 ** k);

/**
 * The value of `text` if it is a plain decimal number (surrounding whitespace allowed), else NaN.
 * The result is the correctly rounded double, exactly what `Number` gives.
 */
export function parsePlainNumber(text: string): number {
	const fast = fastDecimal(text);
	if (!Number.isNaN(fast)) return fast;
	const trimmed = text.trim();
	return PLAIN_NUMBER.test(trimmed) ? Number(trimmed) : Number.NaN;
}

/**
 * The common case without a regular expression or `Number` (each costs more than the whole scan):
 * at most 15 significant digits and a decimal exponent within ±22, where the mantissa and the power
 * of ten are both exact doubles and one multiplication or division rounds correctly (Clinger's fast
 * path, 1990). NaN for anything else, which then takes the general path.
 */
function fastDecimal(text: string): number {
	let i = 0;
	let end = text.length;
	while (i < end && (text.charCodeAt(i) === 32 || text.charCodeAt(i) === 9)) i++;
	while (end > i && (text.charCodeAt(end - 1) === 32 || text.charCodeAt(end - 1) === 9)) end--;
	let negative = false;
	let c = text.charCodeAt(i);
	if (c === 45) {
		negative = true;
		i++;
	} else if (c === 43) {
		i++;
	}
	let mantissa = 0;
	let digits = 0;
	let significant = 0;
	let fraction = 0;
	while (i < end) {
		c = text.charCodeAt(i) - 48;
		if (c < 0 || c > 9) break;
		if (significant > 0 || c !== 0) significant++;
		mantissa = mantissa * 10 + c;
		digits++;
		i++;
	}
	if (i < end && text.charCodeAt(i) === 46) {
		i++;
		while (i < end) {
			c = text.charCodeAt(i) - 48;
			if (c < 0 || c > 9) break;
			if (significant > 0 || c !== 0) significant++;
			mantissa = mantissa * 10 + c;
			digits++;
			fraction++;
			i++;
		}
	}
	if (digits === 0 || significant > 15) return Number.NaN;
	let exponent = 0;
	if (i < end && (text.charCodeAt(i) | 32) === 101) {
		i++;
		let negativeExponent = false;
		c = text.charCodeAt(i);
		if (c === 45) {
			negativeExponent = true;
			i++;
		} else if (c === 43) {
			i++;
		}
		let exponentDigits = 0;
		while (i < end) {
			c = text.charCodeAt(i) - 48;
			if (c < 0 || c > 9) break;
			if (exponent < 1000) exponent = exponent * 10 + c;
			exponentDigits++;
			i++;
		}
		if (exponentDigits === 0) return Number.NaN;
		if (negativeExponent) exponent = -exponent;
	}
	if (i !== end) return Number.NaN;
	const power = exponent - fraction;
	if (power < -22 || power > 22) return Number.NaN;
	const magnitude = power < 0 ? mantissa / (POWERS[-power] as number) : mantissa * (POWERS[power] as number);
	return negative ? -magnitude : magnitude;
}
