import {describe, expect, test} from 'vitest';
import {History} from '../../src/engine/history.js';
import type {HistoryPoint} from '../../src/engine/types.js';

/** Records the point of update i: iteration i, samples 30·i, ms i/1000, and the given loss. */
function recordAll(history: History, losses: (i: number) => number, count: number): void {
	const point = new Float64Array(4);
	for (let i = 0; i < count; i++) {
		point[0] = i;
		point[1] = 30 * i;
		point[2] = i / 1000;
		point[3] = losses(i);
		history.record(point);
	}
}

function isChronological(points: readonly HistoryPoint[]): boolean {
	return points.every((p, i) => i === 0 || p.iteration > points[i - 1]!.iteration);
}

describe('History', () => {
	test('keeps every point while there is room, chronologically', () => {
		const history = new History(16);
		recordAll(history, (i) => 100 - i, 10);
		expect(history.length).toBe(10);
		expect(history.toArray().map((p) => p.iteration)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
		expect(history.at(3)).toEqual({iteration: 3, samples: 90, ms: 0.003, loss: 97});
		expect(history.last()).toEqual({iteration: 9, samples: 270, ms: 0.009, loss: 91});
		expect(history.stride).toBe(1);
	});

	test('10^6 updates: memory bounded (length <= 2·capacity), order kept, last point exact', () => {
		const history = new History(256);
		const count = 1_000_000;
		recordAll(history, (i) => 1000 / (i + 1) + (i % 7), count);
		expect(history.recorded).toBe(count);
		expect(history.length).toBeLessThanOrEqual(2 * 256);
		expect(history.length).toBeGreaterThan(256 / 2);
		const points = history.toArray();
		expect(isChronological(points)).toBe(true);
		expect(points[0]).toEqual({iteration: 0, samples: 0, ms: 0, loss: 1000});
		const last = {iteration: count - 1, samples: 30 * (count - 1), ms: (count - 1) / 1000, loss: 1000 / count + ((count - 1) % 7)};
		expect(history.last()).toEqual(last);
		expect(points.at(-1)).toEqual(last);
		// Every kept point is a recorded one, unchanged.
		for (const p of points) {
			expect(p.loss).toBe(1000 / (p.iteration + 1) + (p.iteration % 7));
			expect(p.samples).toBe(30 * p.iteration);
		}
	});

	test('a single spike and a single dip survive any amount of decimation', () => {
		for (const at of [1, 123_457, 999_998]) {
			const history = new History(64);
			recordAll(history, (i) => (i === at ? 1e9 : i === at + 1 ? -5 : 10 + Math.sin(i)), 1_000_000);
			const points = history.toArray();
			expect(points.find((p) => p.loss === 1e9)?.iteration).toBe(at);
			expect(points.find((p) => p.loss === -5)?.iteration).toBe(at + 1);
		}
	});

	test('each bucket keeps the min and max of its span (checked against a brute-force model)', () => {
		const capacity = 8;
		const history = new History(capacity);
		const losses = (i: number) => Math.sin(i * 1.7) * 100 + i;
		const count = 1000;
		recordAll(history, losses, count);
		const stride = history.stride;
		const closed = Math.floor(count / stride);
		// Brute force: for each full span of `stride` updates, its min and max point, in time order.
		const expected: number[] = [];
		for (let b = 0; b < closed; b++) {
			let min = b * stride;
			let max = b * stride;
			for (let i = b * stride; i < (b + 1) * stride; i++) {
				if (losses(i) < losses(min)) {
					min = i;
				}
				if (losses(i) > losses(max)) {
					max = i;
				}
			}
			expected.push(...(min === max ? [min] : [Math.min(min, max), Math.max(min, max)]));
		}
		const kept = history.toArray().map((p) => p.iteration);
		expect(kept.slice(0, expected.length)).toEqual(expected);
		// Then the open bucket's min and max (time order) and the newest point.
		expect(kept.at(-1)).toBe(count - 1);
		expect(kept.length).toBeLessThanOrEqual(2 * capacity);
	});

	test('columns() are chronological views matching at()', () => {
		const history = new History(32);
		recordAll(history, (i) => (i * 7919) % 101, 5000);
		const columns = history.columns();
		expect(columns.loss.length).toBe(history.length);
		for (let i = 0; i < history.length; i++) {
			const p = history.at(i);
			expect([columns.iteration[i], columns.samples[i], columns.ms[i], columns.loss[i]]).toEqual([p.iteration, p.samples, p.ms, p.loss]);
		}
		expect(() => history.at(history.length)).toThrow(RangeError);
	});

	test('save/restore continues identically', () => {
		const a = new History(16);
		recordAll(a, (i) => Math.cos(i), 333);
		const b = new History(16);
		b.restoreState(JSON.parse(JSON.stringify(a.saveState())) as ReturnType<History['saveState']>);
		expect(b.toArray()).toEqual(a.toArray());
		const point = Float64Array.of(333, 9990, 0.333, 0.5);
		for (let i = 0; i < 500; i++) {
			point[0] = 333 + i;
			point[3] = Math.cos(333 + i);
			a.record(point);
			b.record(point);
		}
		expect(b.toArray()).toEqual(a.toArray());
		expect(() => new History(32).restoreState(a.saveState())).toThrow(RangeError);
	});

	test('capacity must be an even integer >= 4', () => {
		for (const bad of [0, 2, 5, 7.5, Number.NaN]) {
			expect(() => new History(bad)).toThrow(RangeError);
		}
		expect(new History().capacity).toBe(2048);
		expect(new History().last()).toBeUndefined();
	});
});

describe('History with θ per point', () => {
	/** θ of update i: [i, −2i, 1 + i/10], a function of the iteration, so every kept point can be checked. */
	function thetaOf(i: number): number[] {
		return [i, 0 - 2 * i, 1 + i / 10]; // 0 − 2i, not −2i: no −0 (JSON has none)
	}

	function recordWithTheta(history: History, losses: (i: number) => number, count: number): void {
		const point = new Float64Array(4);
		const theta = new Float64Array(3);
		for (let i = 0; i < count; i++) {
			point[0] = i;
			point[1] = 30 * i;
			point[2] = i / 1000;
			point[3] = losses(i);
			theta.set(thetaOf(i));
			history.record(point, theta);
		}
	}

	test('every kept point carries the θ it was recorded with, through any decimation; memory stays bounded', () => {
		for (const count of [5, 100, 1000, 200_000]) {
			const history = new History(64, 3);
			recordWithTheta(history, (i) => (i === 777 ? 1e9 : 1000 / (i + 1) + (i % 5)), count);
			expect(history.length).toBeLessThanOrEqual(128);
			const columns = history.columns();
			expect(columns.theta).toHaveLength(3);
			for (let k = 0; k < history.length; k++) {
				const i = columns.iteration[k]!;
				expect([columns.theta[0]![k], columns.theta[1]![k], columns.theta[2]![k]]).toEqual(thetaOf(i));
				expect(history.thetaAt(k)).toEqual(thetaOf(i));
			}
			expect(history.lastTheta()).toEqual(thetaOf(count - 1));
			expect(columns.iteration.at(-1)).toBe(count - 1);
			// The spike is kept, with its θ.
			if (count > 777) expect(history.thetaAt(Array.from(columns.loss).indexOf(1e9))).toEqual(thetaOf(777));
		}
	});

	test('save and restore keep θ and continue identically', () => {
		const a = new History(16, 3);
		recordWithTheta(a, (i) => Math.cos(i) * 100, 333);
		const b = new History(16, 3);
		b.restoreState(JSON.parse(JSON.stringify(a.saveState())));
		const point = new Float64Array([333, 9990, 0.333, 7]);
		const theta = Float64Array.from(thetaOf(333));
		a.record(point, theta);
		b.record(point, theta);
		expect(b.saveState()).toEqual(a.saveState());
		expect(b.columns().theta.map((c) => Array.from(c))).toEqual(a.columns().theta.map((c) => Array.from(c)));
		// A state without θ does not fit a history with θ.
		expect(() => new History(16, 2).restoreState(a.saveState())).toThrow(RangeError);
	});

	test('without params: no θ columns', () => {
		const history = new History(16);
		recordAll(history, (i) => i, 10);
		expect(history.columns().theta).toEqual([]);
		expect(history.lastTheta()).toEqual([]);
	});
});
