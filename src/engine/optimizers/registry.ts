/** The four racers by id: their names, defaults, and the factory the race uses. */
import type {OptimizerId, RacerSpec} from '../types.js';
import {GD_NAME, GradientDescent} from './gd.js';
import {EpochMiniBatch, MB_EPOCH_NAME, MB_RANDOM_NAME, RandomMiniBatch} from './mini-batch.js';
import type {Optimizer} from './optimizer.js';
import {SGD_NAME, StochasticGradientDescent} from './sgd.js';

/** Human name of each racer. */
export const OPTIMIZER_NAMES: Readonly<Record<OptimizerId, string>> = {
	gd: GD_NAME,
	sgd: SGD_NAME,
	'mb-random': MB_RANDOM_NAME,
	'mb-epoch': MB_EPOCH_NAME,
};

/** The study note's learning rate. */
export const DEFAULT_LR = 0.01;
/** The study note's mini-batch size. */
export const DEFAULT_BATCH_SIZE = 30;

/** A racer with the study note's settings. */
export function defaultRacerSpec(id: OptimizerId): RacerSpec {
	return {id, lr: DEFAULT_LR, batchSize: DEFAULT_BATCH_SIZE, shuffle: false};
}

/** The optimizer for `spec` on N rows. Throws a RangeError for an unknown id or a bad hyperparameter. */
export function createOptimizer(spec: RacerSpec, rows: number): Optimizer {
	switch (spec.id) {
		case 'gd': {
			return new GradientDescent(rows, spec.lr);
		}
		case 'sgd': {
			return new StochasticGradientDescent(rows, spec.lr);
		}
		case 'mb-random': {
			return new RandomMiniBatch(rows, spec.lr, spec.batchSize);
		}
		case 'mb-epoch': {
			return new EpochMiniBatch(rows, spec.lr, spec.batchSize, spec.shuffle);
		}
		default: {
			// Reachable from untyped input (a JSON config, a restored state).
			throw new RangeError(`unknown optimizer id: ${String((spec as {id: unknown}).id)}`);
		}
	}
}
