/**
 * The optimizer zoo's benchmark (issue 7), in a plain Node process on the compiled engine (dist/):
 *
 * 1. Per-update cost of each update rule against the plain rule (`sgd`), on the full batch and on
 *    a one-row batch, with d = 2 (Boston RM, LSTAT) and d = 13 (all of Boston's features): a race
 *    of one racer advanced by a fixed number of updates, median of 9 timed runs after warm-up, the
 *    rules interleaved round by round.
 *    Goal: the adaptive rules within 1.5× of plain on full batches.
 * 2. The book race plus momentum, nesterov, adagrad, rmsprop and adam (9 racers × 5000
 *    iterations): in this process (median of warm runs), and as whole processes
 *    (`node dist/cli.cjs --json --optimizers …`, spawn to exit, median of 7), next to the four-racer
 *    book race and `race.c` (`gcc -O3 -march=native`, `race 5000 1`, spawn to exit) when gcc and
 *    ../shared/bench/race.c are there.
 *
 *   npm run bench:zoo            (builds dist/ first)
 *   node test/bench/zoo.mjs [--json]
 */
import {execFileSync, spawnSync} from 'node:child_process';
import {existsSync, mkdtempSync, rmSync} from 'node:fs';
import {loadavg, tmpdir} from 'node:os';
import {join} from 'node:path';
import {fileURLToPath} from 'node:url';
import {BUNDLED_DATA, loadDataset} from '../../dist/data/dataset.js';
import {Race, RULES, defaultRacerSpec, racerSpec} from '../../dist/engine/index.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const asJson = process.argv.includes('--json');
const median = (values) => {
	const sorted = [...values].sort((a, b) => a - b);
	const mid = sorted.length >> 1;
	return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};
const time = (fn) => {
	const started = performance.now();
	fn();
	return performance.now() - started;
};

const ALL = ['CRIM', 'ZN', 'INDUS', 'CHAS', 'NOX', 'RM', 'AGE', 'DIS', 'RAD', 'TAX', 'PTRATIO', 'B', 'LSTAT'];
const datasets = {
	2: loadDataset({path: BUNDLED_DATA, features: ['RM', 'LSTAT'], target: 'MEDV', scale: 'minmax'}),
	13: loadDataset({path: BUNDLED_DATA, features: ALL, target: 'MEDV', scale: 'minmax'}),
};
const nameOf = (rule) => (rule === 'sgd' ? 'gd' : rule);

// ── 1. Per-update cost ──
const perUpdate = [];
for (const dims of [2, 13]) {
	for (const kind of ['full', 'one']) {
		const updates = kind === 'full' ? 20_000 : 2_000_000;
		const row = {dims, batch: kind, ns: {}};
		// One race per rule, timed in interleaved rounds, so that other work on the machine falls on
		// every rule alike (a small lr keeps every rule far from divergence for the whole run).
		const races = RULES.map((rule) => {
			const spec = racerSpec(nameOf(rule), {lr: 1e-4, batch: {kind}});
			return new Race({data: datasets[dims], racers: [spec], seed: 2023, clock: 'iteration', epochs: 1e12, tolerance: 1e-9});
		});
		for (let i = 0; i < 3; i++) for (const race of races) race.advance(updates / 4);
		const runs = RULES.map(() => []);
		for (let round = 0; round < 9; round++) {
			races.forEach((race, index) => runs[index].push(time(() => race.advance(updates))));
		}
		RULES.forEach((rule, index) => {
			row.ns[rule] = (median(runs[index]) * 1e6) / updates;
		});
		perUpdate.push(row);
	}
}

// ── 2. Nine racers × 5000 ──
const zoo = ['gd', 'sgd', 'mb-random', 'mb-epoch', 'momentum', 'nesterov', 'adagrad', 'rmsprop', 'adam'];
const book = {data: datasets[2], seed: 2023, clock: 'iteration', epochs: 5000, tolerance: 0.01};
const fourConfig = {...book, racers: ['gd', 'sgd', 'mb-random', 'mb-epoch'].map((id) => defaultRacerSpec(id))};
const nineConfig = {...book, racers: [...fourConfig.racers, ...zoo.slice(4).map((name) => racerSpec(name))]};
for (let i = 0; i < 60; i++) {
	new Race(fourConfig).advance(5000);
	new Race(nineConfig).advance(5000);
}
const inProcess = {four: [], nine: []};
for (let i = 0; i < 15; i++) {
	inProcess.four.push(time(() => new Race(fourConfig).advance(5000)));
	inProcess.nine.push(time(() => new Race(nineConfig).advance(5000)));
}

const spawnMs = (command, args) => {
	const started = performance.now();
	const result = spawnSync(command, args, {cwd: root, encoding: 'utf8'});
	const ms = performance.now() - started;
	if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} exited ${result.status}: ${result.stderr}`);
	return ms;
};
const cli = join(root, 'dist/cli.cjs');
const processes = {four: [], nine: [], c: [], nodeEmpty: []};
const source = join(root, '../../shared/bench/race.c');
const sharedSource = existsSync(source) ? source : '/work/shared/bench/race.c';
let binary;
const scratch = mkdtempSync(join(tmpdir(), 'gdrace-zoo-'));
try {
	if (existsSync(sharedSource)) {
		try {
			binary = join(scratch, 'race');
			execFileSync('gcc', ['-O3', '-march=native', '-o', binary, sharedSource], {stdio: 'pipe'});
		} catch {
			binary = undefined;
		}
	}
	for (let round = 0; round < 8; round++) {
		const four = spawnMs(process.execPath, [cli, '--json']);
		const nine = spawnMs(process.execPath, [cli, '--json', '--optimizers', zoo.join(',')]);
		const empty = spawnMs(process.execPath, ['-e', '0']);
		const c = binary === undefined ? undefined : spawnMs(binary, ['5000', '1', BUNDLED_DATA]);
		// The first round warms the file cache: not counted.
		if (round === 0) continue;
		processes.four.push(four);
		processes.nine.push(nine);
		processes.nodeEmpty.push(empty);
		if (c !== undefined) processes.c.push(c);
	}
} finally {
	rmSync(scratch, {recursive: true, force: true});
}

const report = {load: loadavg(), perUpdate, inProcess, processes};
if (asJson) {
	console.log(JSON.stringify(report));
} else {
	const lines = [`load average ${loadavg().map((v) => v.toFixed(2)).join(' ')}`, '', 'per-update cost, ns (× plain sgd), median of 9 interleaved runs:'];
	lines.push(`  ${'d  batch'.padEnd(10)}${RULES.map((rule) => rule.padStart(16)).join('')}`);
	for (const row of perUpdate) {
		const plain = row.ns.sgd;
		const cells = RULES.map((rule) => `${row.ns[rule].toFixed(1)} (${(row.ns[rule] / plain).toFixed(2)}×)`.padStart(16));
		lines.push(`  ${`${row.dims}`.padEnd(3)}${row.batch.padEnd(7)}${cells.join('')}`);
	}
	const f = (values) => `median ${median(values).toFixed(1)} ms, min ${Math.min(...values).toFixed(1)} ms`;
	lines.push(
		'',
		'book race, 5000 iterations, in this process (15 warm runs):',
		`  4 racers: ${f(inProcess.four)}`,
		`  9 racers (+ momentum, nesterov, adagrad, rmsprop, adam): ${f(inProcess.nine)}`,
		'',
		'whole processes, spawn to exit (7 runs):',
		`  node -e 0: ${f(processes.nodeEmpty)}`,
		`  gdrace --json (4 racers): ${f(processes.four)}`,
		`  gdrace --json --optimizers ${zoo.join(',')}: ${f(processes.nine)}`,
		processes.c.length > 0 ? `  race.c -O3 -march=native (4 racers, loss in O(d²)): ${f(processes.c)}` : '  race.c: unavailable (no gcc or no ../shared/bench/race.c)',
	);
	console.log(lines.join('\n'));
}
