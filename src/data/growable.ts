/** Largest block a `GrowableColumn` allocates: 65,536 values (512 KiB). */
export const MAX_BLOCK = 1 << 16;

const FIRST_BLOCK = 1024;

/**
 * A column of doubles that grows in blocks, so appending never copies what is already stored and
 * never over-allocates by more than one block; `toFloat64Array` copies it once into an exact-size
 * array. Peak memory while loading is therefore about twice the data, not three times as with a
 * doubling array that is trimmed at the end.
 */
export class GrowableColumn {
	private blocks: Float64Array[] = [];
	private current = new Float64Array(FIRST_BLOCK);
	private used = 0;
	private size = 0;

	/** Values stored. */
	get length(): number {
		return this.size;
	}

	/** Appends one value. */
	push(value: number): void {
		if (this.used === this.current.length) {
			this.blocks.push(this.current);
			// Each new block is as large as everything before it (capped): few blocks for small data.
			this.current = new Float64Array(Math.max(FIRST_BLOCK, Math.min(MAX_BLOCK, this.size)));
			this.used = 0;
		}
		this.current[this.used++] = value;
		this.size++;
	}

	/** The values in one exact-size array. The column is emptied (its blocks released). */
	toFloat64Array(): Float64Array {
		const out = new Float64Array(this.size);
		let at = 0;
		for (const block of this.blocks) {
			out.set(block, at);
			at += block.length;
		}
		out.set(this.current.subarray(0, this.used), at);
		this.blocks = [];
		this.current = new Float64Array(0);
		this.used = 0;
		this.size = 0;
		return out;
	}
}
