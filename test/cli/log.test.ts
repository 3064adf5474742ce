import {describe, expect, it} from 'vitest';
import {ndjsonPoint, seedFinalBanner, seedInitialBanner, seedIteration, seedWeights} from '../../src/cli/log.js';

describe('--log seed', () => {
	it('prints the initial banner as the note does (47 #, then the print() blank line)', () => {
		expect(seedInitialBanner([0, 0], 1)).toBe(
			'############### initial weights ###############\n' +
				'w1 [0.] w2 [0.] bias [1.]\n' +
				'###############################################\n' +
				'\n',
		);
	});

	it('prints an iteration as the note does', () => {
		expect(seedIteration(1, 5000, [0.19708373, 0.1080894], 1.372, 526.4361550859163)).toBe(
			'Epoch : 1 / 5000\nw1 [0.19708373] w2 [0.1080894] bias [1.372] loss 526.4361550859163\n',
		);
		expect(seedIteration(4991, 5000, [25.78137533, -22.27755829], 16.7720665, 31.54811228195822)).toBe(
			'Epoch : 4991 / 5000\nw1 [25.78137533] w2 [-22.27755829] bias [16.7720665] loss 31.54811228195822\n',
		);
	});

	it('rounds weights to numpy\'s 8 decimals and keeps the loss in full', () => {
		// 0.01 * 2 * mean(...) values are rarely this short: numpy rounds them for display.
		expect(seedWeights([0.197083734126, -23.600463841], 16.385683214999)).toBe('w1 [0.19708373] w2 [-23.60046384] bias [16.38568321]');
		expect(seedIteration(2, 3, [1e-5], 0, 30.52907816250869)).toBe('Epoch : 2 / 3\nw1 [1.e-05] bias [0.] loss 30.52907816250869\n');
	});

	it('names any number of weights w1 … wd', () => {
		expect(seedWeights([1, 2, 3], 4)).toBe('w1 [1.] w2 [2.] w3 [3.] bias [4.]');
	});

	it('prints the final banner as the note does (print() blank line, then 45 #)', () => {
		expect(seedFinalBanner([25.86119595, -22.23779962], 16.88833978)).toBe(
			'\n' +
				'############### final weights ###############\n' +
				'w1 [25.86119595] w2 [-22.23779962] bias [16.88833978]\n' +
				'#############################################\n',
		);
	});
});

describe('--log ndjson', () => {
	it('prints one parseable object per point', () => {
		const line = ndjsonPoint('sgd', {iteration: 3, samples: 3, ms: 0.25}, 500.5, [0.5, -0.25], 1.125);
		expect(line.endsWith('\n')).toBe(true);
		expect(line.trimEnd()).not.toContain('\n');
		expect(JSON.parse(line)).toEqual({racer: 'sgd', iteration: 3, samples: 3, ms: 0.25, loss: 500.5, weights: [0.5, -0.25], bias: 1.125});
	});
});
