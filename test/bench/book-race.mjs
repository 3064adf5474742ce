/**
 * The book race (4 racers × 5000 iterations on Boston, the full-data loss after every update),
 * timed in a plain Node process on the compiled engine (dist/), as the CLI runs it, interleaved
 * with the C yardstick so that both see the same machine load.
 *
 *   node test/bench/book-race.mjs [C binary] [boston.csv]
 *
 * Prints one JSON object: {js: [ms…], c1: [ms…], c0: [ms…], gd: [w1, w2, bias] | null}. Without a
 * C binary only `js` is filled. Run by test/bench/engine.bench.ts (npm run bench builds dist first).
 */
import {execFileSync} from 'node:child_process';
import {BUNDLED_DATA, loadDataset} from '../../dist/data/dataset.js';
import {OPTIMIZER_IDS, Race, defaultRacerSpec} from '../../dist/engine/index.js';

const [binary, csv = BUNDLED_DATA] = process.argv.slice(2);
const data = loadDataset({path: BUNDLED_DATA, features: ['RM', 'LSTAT'], target: 'MEDV', scale: 'minmax'});
const config = {
	data,
	racers: OPTIMIZER_IDS.map((id) => defaultRacerSpec(id)),
	seed: 2023,
	clock: 'iteration',
	epochs: 5000,
	tolerance: 0.01,
};

const once = () => {
	const started = performance.now();
	new Race(config).advance(5000);
	return performance.now() - started;
};

/** race.c's report: `seconds=… gd: w1 w2 bias`. */
const runC = (mode) => {
	const line = execFileSync(binary, ['5000', String(mode), csv], {encoding: 'utf8'});
	const match = /seconds=([\d.]+) gd: (\S+) (\S+) (\S+)/.exec(line);
	if (match === null) throw new Error(`unexpected output from race.c: ${line}`);
	return {ms: Number(match[1]) * 1000, gd: [Number(match[2]), Number(match[3]), Number(match[4])]};
};

// Warm until V8 has optimized the hot loops (about 2 s).
for (let i = 0; i < 150; i++) once();
const result = {js: [], c1: [], c0: [], gd: null};
for (let round = 0; round < 12; round++) {
	if (binary !== undefined) {
		const one = runC(1);
		result.c1.push(one.ms);
		result.gd = one.gd;
		result.c0.push(runC(0).ms);
	}
	for (let k = 0; k < 4; k++) result.js.push(once());
}
console.log(JSON.stringify(result));
