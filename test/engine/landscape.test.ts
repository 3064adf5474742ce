/**
 * The profile loss of the map against the loss with the other parameters solved independently:
 * for two weights, the other weights and the bias by least squares on the residual target; for
 * one feature (weight and bias on the axes), the direct loss itself.
 */
import {describe, expect, test} from 'vitest';
import {BUNDLED_DATA, loadDataset} from '../../src/data/dataset.js';
import {Landscape} from '../../src/engine/landscape.js';
import {directLoss} from '../../src/engine/linear-model.js';
import {Objective} from '../../src/engine/optimum.js';
import type {TrainingData} from '../../src/engine/types.js';
import {dataOf} from './fixtures.js';

const ALL = ['CRIM', 'ZN', 'INDUS', 'CHAS', 'NOX', 'RM', 'AGE', 'DIS', 'RAD', 'TAX', 'PTRATIO', 'B', 'LSTAT'];

function boston(features: readonly string[]): TrainingData {
	return loadDataset({path: BUNDLED_DATA, features: [...features], target: 'MEDV', scale: 'minmax'});
}

/** The lowest loss with weights a, b fixed on features xi, yi: the rest solved by least squares. */
function solvedLoss(data: TrainingData, xi: number, yi: number, a: number, b: number): number {
	const {rows: n, dims: d, x, y} = data;
	const others = Array.from({length: d}, (_, j) => j).filter((j) => j !== xi && j !== yi);
	const residual = Float64Array.from(y, (value, i) => value - a * x[i * d + xi]! - b * x[i * d + yi]!);
	if (others.length === 0) {
		// Only the bias is free: its best value is the mean residual.
		const mean = residual.reduce((sum, v) => sum + v, 0) / n;
		return residual.reduce((sum, v) => sum + (v - mean) ** 2, 0) / n;
	}
	const rest = dataOf(
		Array.from({length: n}, (_, i) => others.map((j) => x[i * d + j]!)),
		Array.from(residual),
	);
	return new Objective(rest).optimum.loss;
}

const POINTS: readonly (readonly [number, number])[] = [
	[0, 0],
	[25.4, -23.6],
	[-40, 7.5],
	[100, 100],
	[3.25, -0.125],
];

describe('the profile loss', () => {
	test.each([
		['d = 2 (RM, LSTAT)', ['RM', 'LSTAT'], 0, 1],
		['d = 2, axes swapped', ['RM', 'LSTAT'], 1, 0],
		['d = 13 (RM, LSTAT)', ALL, 5, 12],
		['d = 13 (CRIM, TAX)', ALL, 0, 9],
	])('%s: equals the loss with the other weights and the bias solved, to 1e-9', (_name, features, xi, yi) => {
		const data = boston(features);
		const landscape = new Landscape(new Objective(data), {x: xi, y: yi});
		for (const [a, b] of POINTS) {
			const expected = solvedLoss(data, xi, yi, a, b);
			expect(Math.abs(landscape.loss(a, b) - expected) / expected, `at (${a}, ${b})`).toBeLessThan(1e-9);
		}
		// Its minimum is the optimum, at L*.
		const objective = new Objective(data);
		expect(landscape.xStar).toBe(objective.optimum.weights[xi]);
		expect(landscape.gap(landscape.xStar, landscape.yStar)).toBe(0);
	});

	test('d = 1: weight and bias on the axes, the profile is the direct loss', () => {
		const data = boston(['RM']);
		const landscape = new Landscape(new Objective(data), {x: 0, y: 'bias'});
		for (const [w, b] of POINTS) {
			const expected = directLoss(data, Float64Array.of(w), b);
			expect(Math.abs(landscape.loss(w, b) - expected) / expected).toBeLessThan(1e-9);
		}
	});

	test('collinear features: a feature that is a copy of another leaves the profile exact', () => {
		const base = boston(['RM', 'LSTAT', 'NOX']);
		const {rows: n} = base;
		// Columns RM, LSTAT, NOX, 2·NOX: the last adds nothing.
		const rows = Array.from({length: n}, (_, i) => [base.x[i * 3]!, base.x[i * 3 + 1]!, base.x[i * 3 + 2]!, 2 * base.x[i * 3 + 2]!]);
		const data = dataOf(rows, Array.from(base.y));
		const landscape = new Landscape(new Objective(data), {x: 0, y: 1});
		for (const [a, b] of POINTS) {
			const expected = solvedLoss(boston(['RM', 'LSTAT', 'NOX']), 0, 1, a, b);
			expect(Math.abs(landscape.loss(a, b) - expected) / expected).toBeLessThan(1e-9);
		}
	});

	test('refuses axes that are not two distinct features, and the bias beside more than one feature', () => {
		const objective = new Objective(boston(['RM', 'LSTAT']));
		expect(() => new Landscape(objective, {x: 0, y: 0})).toThrow(RangeError);
		expect(() => new Landscape(objective, {x: 0, y: 2})).toThrow(RangeError);
		expect(() => new Landscape(objective, {x: 0, y: 'bias'})).toThrow(RangeError);
	});
});
