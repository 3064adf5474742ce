/**
 * Scale math shared by the loss chart and the landscape map: "nice" 1-2-5 steps and ranges rounded
 * out to them, on linear and decade (log10) axes. Pure.
 */

const NICE = [1, 2, 5, 10] as const;

/** The smallest 1-2-5 step that cuts `span` into at most `intervals` pieces. */
export function niceStep(span: number, intervals: number): number {
	const raw = span / Math.max(1, intervals);
	const base = 10 ** Math.floor(Math.log10(raw));
	for (const m of NICE) {
		if (m * base >= raw * (1 - 1e-12)) return m * base;
	}
	return 10 * base;
}

export type Range = {readonly lo: number; readonly hi: number; readonly step: number};

/** [lo, hi] rounded out to multiples of a 1-2-5 step, at most `intervals` steps. */
export function niceRange(lo: number, hi: number, intervals: number): Range {
	let span = hi - lo;
	if (!(span > 0)) span = Math.abs(lo) > 0 ? Math.abs(lo) * 0.1 : 1;
	let step = niceStep(span, intervals);
	for (let tries = 0; tries < 8; tries++) {
		const a = Math.floor(lo / step + 1e-9) * step;
		let b = Math.ceil(hi / step - 1e-9) * step;
		if (b <= a) b = a + step;
		if (Number.isFinite(a) && Number.isFinite(b) && Math.round((b - a) / step) <= intervals) return {lo: a, hi: b, step};
		if (!Number.isFinite(b)) return {lo: a, hi: hi > a ? hi : a + span, step: span};
		step = niceStep(step * 1.5, 1);
	}
	return {lo, hi: hi > lo ? hi : lo + span, step: span};
}

/** A range in whole decades of log10 values, in steps of 1, 2, 5, 10… decades, at most `intervals` steps. */
export function decadeRange(lo: number, hi: number, intervals: number): Range {
	let a = Math.floor(lo + 1e-9);
	let b = Math.ceil(hi - 1e-9);
	if (b <= a) b = a + 1;
	let step = 1;
	while ((b - a) / step > intervals) step = niceStep(step * 1.5, 1);
	a = Math.floor(a / step) * step;
	b = Math.ceil(b / step) * step;
	return {lo: a, hi: b, step};
}
