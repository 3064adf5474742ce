/**
 * The two `--log` formats, as pure line builders (the headless runner decides when to print).
 *
 * `seed` reproduces what the study note's Python printed, banner lines included, so that a reader
 * can diff gdrace's output against their own run:
 *
 *     ############### initial weights ###############
 *     w1 [0.] w2 [0.] bias [1.]
 *     ###############################################
 *
 *     Epoch : 1 / 5000
 *     w1 [0.19708373] w2 [0.1080894] bias [1.372] loss 526.4361550859163
 *     …
 *
 *     ############### final weights ###############
 *     w1 [25.86119595] w2 [-22.23779962] bias [16.88833978]
 *     #############################################
 *
 * The blank lines are the note code's `print()` calls (its published output dropped them). Weights
 * are named w1 … wd by position, as in the note. `ndjson` is one JSON object per update.
 */
import type {Coordinates} from '../engine/types.js';
import {numpyArrayFloat, pythonRepr} from './py-format.js';

/** `print('#' * 15 + ' initial weights ' + '#' * 15)` and the 47 `#` below it. */
const INITIAL_TITLE = `${'#'.repeat(15)} initial weights ${'#'.repeat(15)}`;
/** `print('#' * 15 + ' final weights ' + '#' * 15)` and the 45 `#` below it. */
const FINAL_TITLE = `${'#'.repeat(15)} final weights ${'#'.repeat(15)}`;

/** `w1 [0.19708373] w2 [0.1080894] bias [1.372]`: Python's `print('w1', w1, 'w2', w2, 'bias', bias)` of 1-element arrays. */
export function seedWeights(weights: readonly number[], bias: number): string {
	const parts = weights.map((weight, j) => `w${j + 1} [${numpyArrayFloat(weight)}]`);
	parts.push(`bias [${numpyArrayFloat(bias)}]`);
	return parts.join(' ');
}

/** The banner printed before the first iteration, with its trailing blank line. */
export function seedInitialBanner(weights: readonly number[], bias: number): string {
	return `${INITIAL_TITLE}\n${seedWeights(weights, bias)}\n${'#'.repeat(INITIAL_TITLE.length)}\n\n`;
}

/** The two lines printed after iteration `iteration` (1-based) of `epochs`. */
export function seedIteration(iteration: number, epochs: number, weights: readonly number[], bias: number, loss: number): string {
	return `Epoch : ${iteration} / ${epochs}\n${seedWeights(weights, bias)} loss ${pythonRepr(loss)}\n`;
}

/** The banner printed after the last iteration, with its leading blank line. */
export function seedFinalBanner(weights: readonly number[], bias: number): string {
	return `\n${FINAL_TITLE}\n${seedWeights(weights, bias)}\n${'#'.repeat(FINAL_TITLE.length)}\n`;
}

/** The line that heads each racer's block when more than one racer is logged (a lone racer's log is exactly the note's). */
export function seedRacerHeading(id: string, name: string): string {
	return `# ${id}: ${name}\n`;
}

/** One `--log ndjson` line: `{"racer","iteration","samples","ms","loss","weights","bias"}`. */
export function ndjsonPoint(racer: string, at: Coordinates, loss: number, weights: readonly number[], bias: number): string {
	return `${JSON.stringify({racer, iteration: at.iteration, samples: at.samples, ms: at.ms, loss, weights, bias})}\n`;
}
