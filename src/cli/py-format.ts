/**
 * Numbers printed exactly as the study note's Python printed them, so that `--log seed` output
 * can be diffed against a reader's own run:
 * - `numpyArrayFloat`: one element of a float64 array under numpy's default print options
 *   (`np.array2string`: precision 8, `floatmode='maxprec'`, trailing zeros trimmed down to `1.`).
 * - `pythonRepr`: Python's `repr(float)` (also what `str(np.float64)` prints).
 *
 * JavaScript's `String(x)` and `toExponential()` already give the shortest round-trip digits, as
 * both Python and numpy's Dragon4 do; what differs is the layout and the rounding of values that
 * need more than 8 digits: numpy rounds the exact binary value half to even, while `toFixed` and
 * `toExponential` break exact ties away from zero. Ties are rare (the exact value must end just
 * after the cut), so they are detected and only then decided with exact BigInt arithmetic.
 */

/** numpy's default `precision` print option: digits after the point (positional) or in the mantissa (scientific). */
const PRECISION = 8;

/**
 * numpy switches an array to scientific notation when a non-zero |x| is below 1e-4 or at least
 * 1e8 (`FloatingFormat.fillFormat`; numpy scalars and Python floats use 1e16 instead).
 */
const NUMPY_SMALL = 1e-4;
const NUMPY_LARGE = 1e8;

/**
 * One float64 formatted as numpy prints it inside an array (without the brackets): `0.19708373`,
 * `-22.27755829`, `1.372`, `0.`, `1.e-05`, `6.10351562e-05`, `1.2345679e+09`, `nan`, `inf`.
 */
export function numpyArrayFloat(x: number): string {
	if (Number.isNaN(x)) return 'nan';
	if (!Number.isFinite(x)) return x > 0 ? 'inf' : '-inf';
	if (x === 0) return Object.is(x, -0) ? '-0.' : '0.';
	const magnitude = Math.abs(x);
	if (magnitude < NUMPY_SMALL || magnitude >= NUMPY_LARGE) return numpyScientific(x);
	return numpyPositional(x);
}

/** Python's `repr(float)`: shortest round-trip digits, scientific when the exponent is < -4 or >= 16. */
export function pythonRepr(x: number): string {
	if (Number.isNaN(x)) return 'nan';
	if (!Number.isFinite(x)) return x > 0 ? 'inf' : '-inf';
	if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
	const {sign, digits, exponent} = shortestDigits(x);
	if (exponent < -4 || exponent >= 16) {
		const mantissa = digits.length === 1 ? digits : `${digits[0]}.${digits.slice(1)}`;
		return `${sign}${mantissa}e${exponentText(exponent)}`;
	}
	return sign + placePoint(digits, exponent, '.0');
}

/** `1.` for integers, otherwise the shortest digits, rounded to 8 decimals when they need more. */
function numpyPositional(x: number): string {
	const {sign, digits, exponent} = shortestDigits(x);
	const fractionDigits = Math.max(0, digits.length - 1 - exponent);
	if (fractionDigits <= PRECISION) return sign + placePoint(digits, exponent, '.');
	const fixed = mayTie(x) ? exactFixed(x, PRECISION) : x.toFixed(PRECISION);
	return trimZeros(fixed);
}

/** `d.ddde±XX`: at most 8 mantissa decimals, trailing zeros trimmed to `1.e-05`, two exponent digits at least. */
function numpyScientific(x: number): string {
	let {sign, digits, exponent} = shortestDigits(x);
	if (digits.length - 1 > PRECISION) {
		({sign, digits, exponent} = parseExponential(mayTie(x) ? exactExponential(x, PRECISION) : x.toExponential(PRECISION)));
		digits = digits.replace(/0+$/, '');
		if (digits === '') digits = '0';
	}
	return `${sign}${digits[0]}.${digits.slice(1)}e${exponentText(exponent)}`;
}

/** Sign, significant digits (no trailing zeros) and decimal exponent of the first digit. */
type Digits = {sign: string; digits: string; exponent: number};

/** The shortest round-trip digits of a finite non-zero x. */
function shortestDigits(x: number): Digits {
	return parseExponential(x.toExponential());
}

/** Splits `-1.2345e-7` into sign, `12345` and -7. */
function parseExponential(text: string): Digits {
	const match = /^(-?)(\d)(?:\.(\d+))?e([+-]\d+)$/.exec(text);
	if (match === null) throw new Error(`unexpected exponential form ${text}`);
	const digits = `${match[2] ?? ''}${match[3] ?? ''}`.replace(/(?<=.)0+$/, '');
	return {sign: match[1] ?? '', digits, exponent: Number(match[4])};
}

/** Positional layout of digits whose first digit has the given decimal exponent; `integerEnd` follows a whole number. */
function placePoint(digits: string, exponent: number, integerEnd: string): string {
	if (exponent < 0) return `0.${'0'.repeat(-exponent - 1)}${digits}`;
	if (digits.length <= exponent + 1) return digits + '0'.repeat(exponent + 1 - digits.length) + integerEnd;
	return `${digits.slice(0, exponent + 1)}.${digits.slice(exponent + 1)}`;
}

/** `+08`, `-05`, `+16`, `-300`: a sign and at least two digits, as C's printf and numpy write exponents. */
function exponentText(exponent: number): string {
	return (exponent < 0 ? '-' : '+') + String(Math.abs(exponent)).padStart(2, '0');
}

/** `25.41862190` → `25.4186219`, `1.00000000` → `1.`. */
function trimZeros(fixed: string): string {
	return fixed.includes('.') ? fixed.replace(/0+$/, '') : `${fixed}.`;
}

/**
 * Whether rounding x to 8 decimals, or to 9 significant digits, can meet an exact tie. A tie needs
 * the exact decimal expansion to end right after the cut: with x = m·2^-k (m odd) the expansion has
 * k decimals and, for k > 0, at least 5^k's digits, so a tie needs k <= 9 (fixed) or k <= 14
 * (scientific): x·2^14 must be an integer.
 */
function mayTie(x: number): boolean {
	return Number.isInteger(x * 16384);
}

/** The exact value of a finite double as an integer of decimal digits and a count of decimals. */
function exactDecimal(x: number): {sign: string; integer: bigint; decimals: number} {
	const view = new DataView(new ArrayBuffer(8));
	view.setFloat64(0, x);
	const high = view.getUint32(0);
	const low = view.getUint32(4);
	const biased = (high >>> 20) & 0x7ff;
	let mantissa = (BigInt(high & 0xfffff) << 32n) | BigInt(low);
	let power: number;
	if (biased === 0) {
		power = -1074;
	} else {
		mantissa |= 1n << 52n;
		power = biased - 1075;
	}
	const sign = high >>> 31 === 1 ? '-' : '';
	if (power >= 0) return {sign, integer: mantissa << BigInt(power), decimals: 0};
	// m·2^-k = m·5^k / 10^k
	return {sign, integer: mantissa * 5n ** BigInt(-power), decimals: -power};
}

/** Drops `drop` decimal digits of n, rounding half to even as numpy's Dragon4 does. */
function roundHalfEven(n: bigint, drop: number): bigint {
	if (drop <= 0) return n;
	const unit = 10n ** BigInt(drop);
	const kept = n / unit;
	const twice = (n % unit) * 2n;
	if (twice > unit || (twice === unit && kept % 2n === 1n)) return kept + 1n;
	return kept;
}

/** x rounded half to even to `places` decimals, in `toFixed` layout. */
export function exactFixed(x: number, places: number): string {
	const {sign, integer, decimals} = exactDecimal(x);
	const rounded = decimals > places ? roundHalfEven(integer, decimals - places) : integer * 10n ** BigInt(places - decimals);
	const text = rounded.toString().padStart(places + 1, '0');
	const body = places === 0 ? text : `${text.slice(0, -places)}.${text.slice(-places)}`;
	// Like toFixed, a negative value keeps its sign even when it rounds to zero.
	return sign + body;
}

/** x rounded half to even to `places` mantissa decimals, in `toExponential` layout. */
export function exactExponential(x: number, places: number): string {
	const {sign, integer, decimals} = exactDecimal(x);
	const total = integer.toString().length;
	let exponent = total - 1 - decimals;
	let rounded = roundHalfEven(integer, total - (places + 1));
	if (total < places + 1) rounded = integer * 10n ** BigInt(places + 1 - total);
	let text = rounded.toString();
	if (text.length > places + 1) {
		// 9.999999995 → 10.00000000: one more digit, one more in the exponent.
		text = text.slice(0, places + 1);
		exponent++;
	}
	const mantissa = places === 0 ? text : `${text[0]}.${text.slice(1)}`;
	return `${sign}${mantissa}e${exponent < 0 ? '-' : '+'}${Math.abs(exponent)}`;
}
