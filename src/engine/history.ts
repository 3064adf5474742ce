/**
 * A racer's loss history in bounded memory, however long the run.
 *
 * Every update is recorded (O(1) amortised) into the open bucket, which covers `stride` updates
 * and keeps only its lowest- and highest-loss points. A full bucket is closed; when
 * `capacity − 2` buckets are closed, adjacent pairs merge (each keeping the min- and max-loss
 * point of the pair, in time order) and the stride doubles. So a spike or a dip survives any
 * amount of decimation, and the newest point is always kept exactly. Storage is columnar
 * (Float64Array per coordinate) so the chart reads it without copying.
 *
 * With `params` > 0 every point also keeps the parameters θ = [w_0 … w_{d−1}, b] it was recorded
 * with (d + 1 more columns), so the map draws each racer's path through weight space and the
 * replay shows the weights at any kept point. Points are still chosen by loss alone.
 */
import type {HistoryPoint} from './types.js';

/** Buckets kept per history by default. */
export const DEFAULT_HISTORY_CAPACITY = 2048;

/** Columnar, chronological views of a history (valid until its next `record`). */
export type HistoryColumns = {
	readonly iteration: Float64Array;
	readonly samples: Float64Array;
	readonly ms: Float64Array;
	readonly loss: Float64Array;
	/** θ per kept point, one column per parameter (w_0 … w_{d−1}, b); empty without `params`. */
	readonly theta: readonly Float64Array[];
};

/** A history's complete state as plain data (JSON-safe). */
export type HistoryState = {
	readonly capacity: number;
	readonly stride: number;
	readonly recorded: number;
	/** Points per closed bucket (1 or 2), in order. */
	readonly bucketSizes: readonly number[];
	/** The closed buckets' points, [iteration, samples, ms, loss, θ…] each, in order. */
	readonly points: readonly (readonly number[])[];
	/** Updates in the open bucket so far. */
	readonly openCount: number;
	/** The open bucket's min-loss, max-loss and newest points (3 × (4 + params) numbers). */
	readonly open: readonly number[];
	/** Positions within the open bucket of its min- and max-loss points. */
	readonly minSeq: number;
	readonly maxSeq: number;
	/** Whether the newest point is among the kept points. */
	readonly lastKept: boolean;
};

// Offsets in `open`: three points of four coordinates (θ of each point is in `openTheta`).
const MIN = 0;
const MAX = 4;
const LAST = 8;
// Which of the open bucket's points, for `openTheta`.
const MIN_POINT = 0;
const MAX_POINT = 1;
const LAST_POINT = 2;

/** Bounded, decimating history of (iteration, samples, ms, loss) points. */
export class History {
	/** Buckets kept: memory is O(capacity) and `length <= 2 * capacity`. */
	readonly capacity: number;
	/** Parameters kept per point (d + 1, or 0 for losses only). */
	readonly params: number = 0;
	private strideValue = 1;
	private recordedValue = 0;
	private readonly iterations: Float64Array;
	private readonly samples: Float64Array;
	private readonly times: Float64Array;
	private readonly losses: Float64Array;
	/** θ of the kept points, one column per parameter. */
	private readonly thetas: Float64Array[];
	/** θ of the open bucket's min, max and newest points, `params` each. */
	private readonly openTheta: Float64Array;
	private readonly bucketSizes: Uint8Array;
	private closedBuckets = 0;
	private closedPoints = 0;
	private readonly open = new Float64Array(12);
	private openCount = 0;
	private minSeq = 0;
	private maxSeq = 0;
	private lastKept = true;
	/** Points currently written after the closed ones (see `flush`); −1 when stale. */
	private tailLength = 0;

	/**
	 * An empty history of `capacity` buckets, an even integer >= 4, keeping `params` parameters
	 * per point. @default capacity 2048, params 0
	 */
	constructor(capacity: number = DEFAULT_HISTORY_CAPACITY, params = 0) {
		if (!(Number.isInteger(capacity) && capacity >= 4 && capacity % 2 === 0 && capacity <= 1 << 24)) {
			throw new RangeError(`history capacity must be an even integer in [4, 2^24] (got ${capacity})`);
		}
		if (!(Number.isInteger(params) && params >= 0 && params <= 1 << 16)) {
			throw new RangeError(`history params must be an integer in [0, 65536] (got ${params})`);
		}
		this.capacity = capacity;
		this.params = params;
		const size = 2 * capacity;
		this.thetas = Array.from({length: params}, () => new Float64Array(size));
		this.openTheta = new Float64Array(3 * params);
		this.iterations = new Float64Array(size);
		this.samples = new Float64Array(size);
		this.times = new Float64Array(size);
		this.losses = new Float64Array(size);
		this.bucketSizes = new Uint8Array(capacity);
	}

	/** Updates each closed bucket covers (a power of two). */
	get stride(): number {
		return this.strideValue;
	}

	/** Points recorded in total (not kept). */
	get recorded(): number {
		return this.recordedValue;
	}

	/**
	 * Records one point, given as [iteration, samples, ms, loss] (an array rather than four
	 * arguments: V8 boxes doubles passed to a call it does not inline, and this runs after every
	 * update), with its parameters θ (the first `params` entries of `theta` are read). O(1)
	 * amortised, allocates nothing.
	 */
	record(point: Float64Array, theta?: Float64Array): void {
		const iteration = point[0]!;
		const samples = point[1]!;
		const ms = point[2]!;
		const loss = point[3]!;
		const open = this.open;
		const seq = this.openCount;
		open[LAST] = iteration;
		open[LAST + 1] = samples;
		open[LAST + 2] = ms;
		open[LAST + 3] = loss;
		const params = this.params;
		const openTheta = this.openTheta;
		// Plain loops: a subarray per record would allocate, and builtin calls cost (see below).
		if (theta !== undefined) for (let p = 0; p < params; p++) openTheta[LAST_POINT * params + p] = theta[p]!;
		// Plain stores rather than copyWithin: a builtin call per record was 10 % of a race.
		if (seq === 0) {
			open[MIN] = iteration;
			open[MIN + 1] = samples;
			open[MIN + 2] = ms;
			open[MIN + 3] = loss;
			open[MAX] = iteration;
			open[MAX + 1] = samples;
			open[MAX + 2] = ms;
			open[MAX + 3] = loss;
			this.minSeq = 0;
			this.maxSeq = 0;
			this.lastKept = true;
			for (let p = 0; p < params; p++) {
				const value = openTheta[LAST_POINT * params + p]!;
				openTheta[MIN_POINT * params + p] = value;
				openTheta[MAX_POINT * params + p] = value;
			}
		} else if (loss < open[MIN + 3]!) {
			open[MIN] = iteration;
			open[MIN + 1] = samples;
			open[MIN + 2] = ms;
			open[MIN + 3] = loss;
			this.minSeq = seq;
			this.lastKept = true;
			for (let p = 0; p < params; p++) openTheta[MIN_POINT * params + p] = openTheta[LAST_POINT * params + p]!;
		} else if (loss > open[MAX + 3]!) {
			open[MAX] = iteration;
			open[MAX + 1] = samples;
			open[MAX + 2] = ms;
			open[MAX + 3] = loss;
			this.maxSeq = seq;
			this.lastKept = true;
			for (let p = 0; p < params; p++) openTheta[MAX_POINT * params + p] = openTheta[LAST_POINT * params + p]!;
		} else {
			this.lastKept = false;
		}
		this.openCount = seq + 1;
		this.recordedValue++;
		this.tailLength = -1;
		if (this.openCount === this.strideValue) {
			this.closeBucket();
		}
	}

	/** Points kept, chronological (closed buckets, the open bucket, then the newest point). */
	get length(): number {
		return this.closedPoints + this.flush();
	}

	/** The i-th kept point, chronological. Throws a RangeError outside [0, length). */
	at(i: number): HistoryPoint {
		if (!(Number.isInteger(i) && i >= 0 && i < this.length)) {
			throw new RangeError(`history index ${i} is outside [0, ${this.length})`);
		}
		return {iteration: this.iterations[i]!, samples: this.samples[i]!, ms: this.times[i]!, loss: this.losses[i]!};
	}

	/** The newest point, exactly as recorded, or undefined before the first record. */
	last(): HistoryPoint | undefined {
		if (this.recordedValue === 0) {
			return undefined;
		}
		const open = this.open;
		return {iteration: open[LAST]!, samples: open[LAST + 1]!, ms: open[LAST + 2]!, loss: open[LAST + 3]!};
	}

	/** All kept points, chronological (a copy). */
	toArray(): HistoryPoint[] {
		const points: HistoryPoint[] = [];
		const length = this.length;
		for (let i = 0; i < length; i++) {
			points.push({iteration: this.iterations[i]!, samples: this.samples[i]!, ms: this.times[i]!, loss: this.losses[i]!});
		}
		return points;
	}

	/** Columnar views of the kept points, chronological; valid until the next `record`. */
	columns(): HistoryColumns {
		const length = this.length;
		return {
			iteration: this.iterations.subarray(0, length),
			samples: this.samples.subarray(0, length),
			ms: this.times.subarray(0, length),
			loss: this.losses.subarray(0, length),
			theta: this.thetaColumns(length),
		};
	}

	/** θ of the i-th kept point (a copy, `params` numbers), chronological. Throws a RangeError outside [0, length). */
	thetaAt(i: number): number[] {
		if (!(Number.isInteger(i) && i >= 0 && i < this.length)) {
			throw new RangeError(`history index ${i} is outside [0, ${this.length})`);
		}
		return this.thetas.map((column) => column[i]!);
	}

	/** θ of the newest point, exactly as recorded (a copy), or undefined before the first record. */
	lastTheta(): number[] | undefined {
		if (this.recordedValue === 0) return undefined;
		return Array.from(this.openTheta.subarray(LAST_POINT * this.params, (LAST_POINT + 1) * this.params));
	}

	/** One view per parameter over the first `length` kept points. */
	private thetaColumns(length: number): Float64Array[] {
		return this.thetas.map((column) => column.subarray(0, length));
	}

	/** The complete state as plain data. */
	saveState(): HistoryState {
		const points: number[][] = [];
		for (let i = 0; i < this.closedPoints; i++) {
			points.push([this.iterations[i]!, this.samples[i]!, this.times[i]!, this.losses[i]!, ...this.thetas.map((column) => column[i]!)]);
		}
		return {
			capacity: this.capacity,
			stride: this.strideValue,
			recorded: this.recordedValue,
			bucketSizes: Array.from(this.bucketSizes.subarray(0, this.closedBuckets)),
			points,
			openCount: this.openCount,
			open: [...this.open, ...this.openTheta],
			minSeq: this.minSeq,
			maxSeq: this.maxSeq,
			lastKept: this.lastKept,
		};
	}

	/** Continues from a state returned by `saveState` of a history with the same capacity. */
	restoreState(state: HistoryState): void {
		const sizes = state.bucketSizes;
		const valid =
			state.capacity === this.capacity &&
			Number.isInteger(Math.log2(state.stride)) &&
			sizes.length <= this.capacity - 3 &&
			sizes.every((size) => size === 1 || size === 2) &&
			sizes.reduce((sum, size) => sum + size, 0) === state.points.length &&
			state.open.length === 12 + 3 * this.params &&
			state.points.every((point) => point.length === 4 + this.params) &&
			Number.isInteger(state.openCount) &&
			state.openCount >= 0 &&
			state.openCount < state.stride;
		if (!valid) {
			throw new RangeError('history state does not fit this history');
		}
		this.strideValue = state.stride;
		this.recordedValue = state.recorded;
		this.bucketSizes.fill(0);
		this.bucketSizes.set(sizes);
		this.closedBuckets = sizes.length;
		this.closedPoints = state.points.length;
		const params = this.params;
		state.points.forEach((point, i) => {
			this.iterations[i] = point[0]!;
			this.samples[i] = point[1]!;
			this.times[i] = point[2]!;
			this.losses[i] = point[3]!;
			for (let p = 0; p < params; p++) this.thetas[p]![i] = point[4 + p]!;
		});
		this.open.set(state.open.slice(0, 12));
		this.openTheta.set(state.open.slice(12));
		this.openCount = state.openCount;
		this.minSeq = state.minSeq;
		this.maxSeq = state.maxSeq;
		this.lastKept = state.lastKept;
		this.tailLength = -1;
	}

	/** Closes the open bucket: its kept points (time order) join the closed ones. */
	private closeBucket(): void {
		// The tail region may hold a stale copy of these points; the closed region starts there.
		let at = this.closedPoints;
		const open = this.open;
		const first = this.minSeq <= this.maxSeq ? MIN : MAX;
		const second = first === MIN ? MAX : MIN;
		this.writePoint(at++, open, first);
		if (this.minSeq !== this.maxSeq) {
			this.writePoint(at++, open, second);
		}
		this.bucketSizes[this.closedBuckets++] = at - this.closedPoints;
		this.closedPoints = at;
		this.openCount = 0;
		if (this.closedBuckets === this.capacity - 2) {
			this.mergePairs();
		}
	}

	/** Halves the closed buckets: each adjacent pair keeps its min- and max-loss points, in order. */
	private mergePairs(): void {
		const {losses, bucketSizes} = this;
		let read = 0;
		let write = 0;
		for (let b = 0; b < this.closedBuckets; b += 2) {
			const count = bucketSizes[b]! + bucketSizes[b + 1]!;
			let minAt = read;
			let maxAt = read;
			for (let i = read + 1; i < read + count; i++) {
				if (losses[i]! < losses[minAt]!) {
					minAt = i;
				}
				if (losses[i]! > losses[maxAt]!) {
					maxAt = i;
				}
			}
			// In place: write <= read always (each pair keeps at most 2 of its >= 2 points).
			const first = Math.min(minAt, maxAt);
			const second = Math.max(minAt, maxAt);
			this.movePoint(first, write++);
			if (second !== first) {
				this.movePoint(second, write++);
			}
			bucketSizes[b / 2] = second === first ? 1 : 2;
			read += count;
		}
		this.closedBuckets /= 2;
		this.closedPoints = write;
		this.strideValue *= 2;
	}

	/** Writes the open bucket's points and the newest point after the closed ones; returns how many. */
	private flush(): number {
		if (this.tailLength >= 0) {
			return this.tailLength;
		}
		let at = this.closedPoints;
		const open = this.open;
		if (this.openCount > 0) {
			const first = this.minSeq <= this.maxSeq ? MIN : MAX;
			this.writePoint(at++, open, first);
			if (this.minSeq !== this.maxSeq) {
				this.writePoint(at++, open, first === MIN ? MAX : MIN);
			}
		}
		if (!this.lastKept) {
			this.writePoint(at++, open, LAST);
		}
		this.tailLength = at - this.closedPoints;
		return this.tailLength;
	}

	private movePoint(from: number, to: number): void {
		this.iterations[to] = this.iterations[from]!;
		this.samples[to] = this.samples[from]!;
		this.times[to] = this.times[from]!;
		this.losses[to] = this.losses[from]!;
		const thetas = this.thetas;
		for (let p = 0; p < thetas.length; p++) thetas[p]![to] = thetas[p]![from]!;
	}

	private writePoint(at: number, source: Float64Array, offset: number): void {
		this.iterations[at] = source[offset]!;
		this.samples[at] = source[offset + 1]!;
		this.times[at] = source[offset + 2]!;
		this.losses[at] = source[offset + 3]!;
		const thetas = this.thetas;
		if (thetas.length > 0) {
			// The open bucket's point: MIN, MAX or LAST, at 0, 4 or 8 in `open`.
			const from = (offset === MIN ? MIN_POINT : offset === MAX ? MAX_POINT : LAST_POINT) * thetas.length;
			for (let p = 0; p < thetas.length; p++) thetas[p]![at] = this.openTheta[from + p]!;
		}
	}
}
