import {describe, expect, it} from 'vitest';
import {GrowableColumn, MAX_BLOCK} from '../../src/data/growable.js';

describe('GrowableColumn', () => {
	it('keeps every value in order across many blocks', () => {
		const column = new GrowableColumn();
		const n = 3 * MAX_BLOCK + 12_345;
		for (let i = 0; i < n; i++) column.push(i * 0.5 - 7);
		expect(column.length).toBe(n);
		const values = column.toFloat64Array();
		expect(values).toHaveLength(n);
		let wrong = 0;
		for (let i = 0; i < n; i++) if (values[i] !== i * 0.5 - 7) wrong++;
		expect(wrong).toBe(0);
	});

	it('is empty after conversion and can grow again', () => {
		const column = new GrowableColumn();
		expect(column.toFloat64Array()).toHaveLength(0);
		column.push(1);
		column.toFloat64Array();
		expect(column.length).toBe(0);
		for (let i = 0; i < 5000; i++) column.push(i);
		expect(Array.from(column.toFloat64Array().subarray(4998))).toEqual([4998, 4999]);
	});
});
