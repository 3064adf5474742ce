import {describe, expect, it} from 'vitest';
import type {SummaryData} from '../../src/cli/summary.js';
import {NOT_UNIQUE_NOTE, exportedLine, formatJson, formatSummary, jsonSummary} from '../../src/cli/summary.js';
import type {RaceSnapshot, RacerSnapshot} from '../../src/engine/types.js';
import {textWidth} from '../../src/text-width.js';

const DATA: SummaryData = {source: 'data/boston.csv', rows: 506, features: ['RM', 'LSTAT'], target: 'MEDV', scale: 'minmax'};
const L_STAR = 30.4;

function racer(overrides: Partial<RacerSnapshot> & Pick<RacerSnapshot, 'id' | 'name'>): RacerSnapshot {
	return {
		rule: 'sgd',
		batch: {kind: 'random', size: 30, shuffle: false},
		hyper: {},
		lr: 0.01,
		lrChanges: [],
		batchSize: 30,
		iterations: 5000,
		updates: 5000,
		samples: 150000,
		ms: 12.5,
		weights: [25.41862187, -23.60046384],
		bias: 16.38568321,
		loss: 30.529067414418,
		gap: 30.529067414418 - L_STAR,
		relativeGap: (30.529067414418 - L_STAR) / L_STAR,
		state: 'done',
		finished: null,
		diverged: null,
		...overrides,
	};
}

const SNAPSHOT: RaceSnapshot = {
	clock: 'iteration',
	position: 5000,
	target: 5000,
	epochs: 5000,
	seed: 2023,
	over: true,
	tolerance: 0.01,
	optimum: {weights: [25.5, -23.5], bias: 16.1, loss: L_STAR, rank: 2, unique: true},
	curvature: {lambdaMax: 1.5, lambdaMin: 0.0125, condition: 120, lrMax: 4 / 3},
	racers: [
		racer({
			id: 'gd',
			name: 'Gradient descent',
			batch: {kind: 'full', size: 506, shuffle: false},
			batchSize: 506,
			samples: 2530000,
			finished: {iteration: 1234, samples: 624404, ms: 3.25},
		}),
		racer({id: 'sgd', name: 'Stochastic GD', batch: {kind: 'one', size: 1, shuffle: false}, batchSize: 1, samples: 5000, weights: [1e-12, 2e10], bias: -0.5}),
		racer({
			id: 'mb-epoch',
			name: 'Mini-batch (epoch)',
			batch: {kind: 'epoch', size: 30, shuffle: false},
			lr: 5,
			updates: 12,
			iterations: 0,
			samples: 360,
			state: 'diverged',
			diverged: {iteration: 12 / 17, samples: 360, ms: 0.5},
		}),
	],
};

const lines = (text: string) => text.split('\n');
/** The cells of the table row whose label is `label`. */
function row(text: string, label: string): string[] {
	const line = lines(text).find((candidate) => candidate.startsWith(`${label} `));
	if (line === undefined) throw new Error(`no row ${label}`);
	return line.slice(label.length).trim().split(/\s{2,}/);
}

describe('formatSummary', () => {
	const text = formatSummary(SNAPSHOT, DATA, {tolerance: 0.01});

	it('states the data and the settings', () => {
		expect(text).toContain('data/boston.csv: 506 rows, RM, LSTAT → MEDV, scale minmax');
		expect(text).toContain('clock iteration, epochs 5,000, seed 2023, tolerance 0.01 (within 1% of L*)');
	});

	it('lists each racer with its name, rule, batch and learning rate', () => {
		expect(text).toMatch(/^ {2}gd +Gradient descent +rule sgd, batch full \(506\), lr 0\.01$/m);
		expect(text).toMatch(/^ {2}mb-epoch +Mini-batch \(epoch\) +rule sgd, batch epoch \(30\), lr 5$/m);
	});

	it('shows a rule\'s hyperparameters, a shuffled batch and every learning-rate change', () => {
		const adam = racer({
			id: 'adam-2',
			name: 'Adam (epoch 30, shuffled)',
			rule: 'adam',
			batch: {kind: 'epoch', size: 30, shuffle: true},
			hyper: {beta1: 0.9, beta2: 0.999, eps: 1e-8},
			lr: 0.4,
			lrChanges: [
				{updates: 17, iteration: 1, samples: 506, ms: 1, from: 0.1, lr: 0.2},
				{updates: 40, iteration: 40 / 17, samples: 1196, ms: 2, from: 0.2, lr: 0.4},
			],
		});
		const out = formatSummary({...SNAPSHOT, racers: [adam]}, DATA);
		expect(out).toMatch(
			/^ {2}adam-2 +Adam \(epoch 30, shuffled\) +rule adam \(beta1 0\.9, beta2 0\.999, eps 1e-8\), batch epoch \(30, shuffled\), lr 0\.1 → 0\.4\n +lr changes: 0\.2 @1, 0\.4 @2\.35 \(@ iteration\)$/m,
		);
	});

	it('keeps names in one column at 100 columns: long settings wrap under their own column', () => {
		const adam = racer({id: 'adam', name: 'Adam', rule: 'adam', batch: {kind: 'full', size: 506, shuffle: false}, hyper: {beta1: 0.9, beta2: 0.999, eps: 1e-8}, lr: 0.1});
		const momentum = racer({id: 'momentum', name: 'Momentum', rule: 'momentum', hyper: {momentum: 0.9}});
		const racers = [...SNAPSHOT.racers, momentum, adam];
		const out = lines(formatSummary({...SNAPSHOT, racers}, DATA, {width: 100}));
		const block = out.slice(out.indexOf('Racers') + 1, out.findIndex((line) => line.startsWith('Results')) - 1);
		for (const line of block) expect(line.length, line).toBeLessThanOrEqual(100);
		// Every racer's name starts in the same column, its settings in the next one.
		const firsts = block.filter((line) => /^ {2}\S/.test(line));
		expect(firsts.map((line, index) => line.indexOf(racers[index]!.name, 4))).toEqual(Array(5).fill(12));
		expect(firsts.map((line) => line.indexOf('rule '))).toEqual(Array(5).fill(34));
		const at = block.findIndex((line) => line.startsWith('  adam '));
		expect(block[at]).toMatch(/^ {2}adam {6}Adam {18}rule adam \(beta1 0\.9, beta2 0\.999, eps 1e-8\), batch full \(506\),$/);
		expect(block[at + 1]).toBe(`${' '.repeat(34)}lr 0.1`);
		// lr changes (a list that grows with every key press) go under the id, never cut inside a change.
		const changes = Array.from({length: 12}, (_, index) => ({updates: index + 1, iteration: index + 1, samples: 506, ms: 1, from: 0.1, lr: 0.1 * 2 ** (index + 1)}));
		const changed = {...adam, lr: 409.6, lrChanges: changes};
		const withChanges = lines(formatSummary({...SNAPSHOT, racers: [...SNAPSHOT.racers, changed]}, DATA, {width: 60}));
		const first = withChanges.findIndex((line) => line.startsWith('    lr changes: 0.2 @1, 0.4 @2,'));
		expect(first, withChanges.join('\n')).toBeGreaterThan(0);
		for (const line of withChanges.slice(first, first + 3)) {
			expect(line.length).toBeLessThanOrEqual(60);
			expect(line).toMatch(/^ {4}(lr changes: )?[\d.]+ @\d+(, [\d.]+ @\d+)*(,|,? \(@ iteration\))?$/);
		}
	});

	it('quotes a feature name that holds a comma or a quote in the Data line, as CSV does', () => {
		const out = formatSummary(SNAPSHOT, {...DATA, features: ['x,y', 'b', 'say "hi"']});
		expect(out).toMatch(/^Data {6}data\/boston\.csv: 506 rows, "x,y", b, "say ""hi""" → MEDV, scale minmax$/m);
	});

	it('shows the curvature and the stable step bound', () => {
		expect(text).toMatch(/^Curvature λmax 1\.5, λmin 0\.0125, condition 120, stable lr < 2\/λmax = 1\.333$/m);
		const singular = formatSummary({...SNAPSHOT, curvature: {lambdaMax: 2, lambdaMin: 0, condition: null, lrMax: 1}}, DATA);
		expect(singular).toMatch(/^Curvature λmax 2, λmin 0, condition none \(λmin 0\), stable lr < 2\/λmax = 1$/m);
	});

	it('has one column per racer plus the optimum', () => {
		expect(row(text, 'Results')).toEqual(['gd', 'sgd', 'mb-epoch', 'optimum']);
		expect(row(text, 'iterations')).toEqual(['5,000', '5,000', '0']);
		expect(row(text, 'updates')).toEqual(['5,000', '5,000', '12']);
		expect(row(text, 'samples')).toEqual(['2,530,000', '5,000', '360']);
	});

	it('shows weights by feature name, bias and loss, optimum included', () => {
		expect(row(text, 'RM')).toEqual(['25.41862187', '1.000000e-12', '25.41862187', '25.50000000']);
		expect(row(text, 'LSTAT')).toEqual(['-23.60046384', '2.000000e+10', '-23.60046384', '-23.50000000']);
		expect(row(text, 'bias')).toEqual(['16.38568321', '-0.50000000', '16.38568321', '16.10000000']);
		expect(row(text, 'loss')).toEqual(['30.52906741', '30.52906741', '30.52906741', '30.40000000']);
	});

	it('shows the gap to L* absolute and in percent', () => {
		const gap = 30.529067414418 - L_STAR;
		expect(row(text, 'gap to L*')).toEqual([gap.toExponential(3), gap.toExponential(3), gap.toExponential(3)]);
		expect(row(text, 'gap %')).toEqual(Array(3).fill(`${((gap / L_STAR) * 100).toFixed(3)}%`));
	});

	it('shows status and where it finished or diverged', () => {
		// What the finish was, apart from the gap now (issue 10: "3.23% finished" read as a contradiction).
		expect(row(text, 'status')).toEqual(['reached ±1%', 'done', 'diverged']);
		expect(row(text, '  at iteration')).toEqual(['1,234', '-', '0.71']);
		expect(row(text, '  at samples')).toEqual(['624,404', '-', '360']);
		expect(row(text, '  at ms')).toEqual(['3.25', '-', '0.50']);
	});

	it('right-aligns every column to one width', () => {
		const table = lines(text).slice(lines(text).findIndex((line) => line.startsWith('Results')));
		const tableRows = table.filter((line) => line !== '' && !line.startsWith('note'));
		const rightEdges = (line: string) => [...line.matchAll(/\S(?=\s{2,}|$)/g)].map((match) => match.index);
		const header = rightEdges(tableRows[0] ?? '');
		for (const line of tableRows.slice(1)) {
			for (const edge of rightEdges(line).slice(1)) expect(header).toContain(edge);
		}
	});

	it('has no color codes unless asked, and no NaN', () => {
		expect(text).not.toContain('\u001B[');
		expect(text).not.toMatch(/NaN|Infinity/);
		const colored = formatSummary(SNAPSHOT, DATA, {color: true});
		expect(colored).toContain('\u001B[32mreached ±1%');
		expect(colored).toContain('\u001B[31mdiverged');
		expect(colored.replace(/\u001B\[\d+m/g, '')).toBe(formatSummary(SNAPSHOT, DATA));
	});

	it('adds the note when the optimal weights are not unique', () => {
		expect(text).not.toContain(NOT_UNIQUE_NOTE);
		const collinear = formatSummary({...SNAPSHOT, optimum: {...SNAPSHOT.optimum, unique: false, rank: 1}}, DATA);
		expect(collinear).toContain(NOT_UNIQUE_NOTE);
	});

	it('says when a signal stopped the run', () => {
		expect(formatSummary(SNAPSHOT, DATA, {stoppedBy: 'SIGINT'})).toMatch(/Stopped +by SIGINT/);
	});

	it('calls a racer cut short "stopped", not "done", and says the user quit', () => {
		const cut = {...SNAPSHOT, over: false, racers: SNAPSHOT.racers.map((r) => (r.state === 'done' && r.finished === null && r.diverged === null ? {...r, state: 'running' as const} : r))};
		const text = formatSummary(cut, DATA, {quitEarly: true});
		expect(text).toMatch(/Stopped +by quitting before the end/);
		const statusRow = text.split('\n').find((line) => line.startsWith('status'))!;
		expect(statusRow).toMatch(/stopped/);
		expect(statusRow).not.toMatch(/\bdone\b/);
		expect(formatSummary(SNAPSHOT, DATA, {quitEarly: true})).not.toMatch(/Stopped/);
	});

	it('stays as wide with 50 features: they become rows', () => {
		const features = Array.from({length: 50}, (_, j) => `feature_${j}`);
		const weights = features.map((_, j) => j - 25.5);
		const wide: RaceSnapshot = {
			...SNAPSHOT,
			optimum: {...SNAPSHOT.optimum, weights},
			racers: SNAPSHOT.racers.map((r) => ({...r, weights})),
		};
		const out = formatSummary(wide, {...DATA, features});
		for (const name of features) expect(row(out, name)).toHaveLength(4);
		expect(out).toContain('506 rows, 50 features (rows below) → MEDV');
		const tableWidth = Math.max(...lines(out).filter((line) => /^\w/.test(line) && !line.startsWith('Data')).map((line) => line.length));
		expect(tableWidth).toBeLessThanOrEqual(80);
	});
});

describe('formatSummary at a terminal’s width (issue 10: it wrapped at 80 and split digits at 60)', () => {
	const nine: RaceSnapshot = {
		...SNAPSHOT,
		racers: Array.from({length: 9}, (_, index) => ({...SNAPSHOT.racers[index % 3]!, id: `racer-${index + 1}` as RacerSnapshot['id']})),
	};
	const visible = (text: string): string[] => lines(text.replace(/\u001B\[\d+m/g, '')).slice(0, -1);

	it.each([40, 53, 60, 80, 100, 140])('fits %i columns with every racer’s numbers whole', (width) => {
		for (const snapshot of [SNAPSHOT, nine]) {
			const text = formatSummary(snapshot, DATA, {tolerance: 0.01, width, color: true, quitEarly: true});
			for (const line of visible(text)) expect(line.length, line).toBeLessThanOrEqual(width);
			const plain = visible(text).join('\n');
			// Every racer's column header once, every racer's loss and samples in full.
			const headers = visible(text).filter((line) => line.startsWith('Results')).flatMap((line) => line.split(/\s+/).slice(1));
			expect(headers).toEqual([...snapshot.racers.map((racer) => racer.id), 'optimum']);
			const cells = (label: string): string[] => visible(text).filter((line) => line.startsWith(`${label} `)).flatMap((line) => line.slice(label.length).trim().split(/\s{2,}/));
			expect(cells('samples')).toEqual(snapshot.racers.map((racer) => racer.samples.toLocaleString('en-US')));
			expect(cells('loss')).toEqual([...snapshot.racers.map(() => '30.52906741'), '30.40000000']);
			expect(plain).toContain('data/boston.csv: 506 rows');
		}
	});

	it('puts racers side by side while they fit, then in further blocks of the same rows', () => {
		expect(formatSummary(SNAPSHOT, DATA).split('\n').filter((line) => line.startsWith('Results'))).toHaveLength(1);
		const narrow = formatSummary(SNAPSHOT, DATA, {width: 60});
		expect(narrow.split('\n').filter((line) => line.startsWith('Results')).map((line) => line.split(/\s+/).slice(1))).toEqual([
			['gd', 'sgd', 'mb-epoch'],
			['optimum'],
		]);
		// The optimum alone has no iterations or status: those rows are left out of its block.
		const last = narrow.slice(narrow.lastIndexOf('Results'));
		expect(last).not.toContain('iterations');
		expect(last).toContain('loss');
	});

	it('wraps prose at spaces and cuts labels, not numbers, when even one racer is wide', () => {
		const long = formatSummary(SNAPSHOT, {...DATA, features: ['a_feature_with_a_very_long_name_indeed', 'LSTAT']}, {width: 40});
		for (const line of lines(long)) expect(line.length, line).toBeLessThanOrEqual(40);
		expect(long).toMatch(/^a_feature_with_a_very_lon… +25\.41862187$/m);
		expect(long).toMatch(/^Data {6}data\/boston\.csv: 506 rows,$/m);
	});
});

describe('a perfect fit (issue 10: L* ≈ 1e-28 showed gaps of 26174% for finished racers)', () => {
	it('measures gaps against the floor the finish line uses', () => {
		const perfect: RaceSnapshot = {
			...SNAPSHOT,
			optimum: {...SNAPSHOT.optimum, loss: 1.9e-28},
			racers: SNAPSHOT.racers.slice(0, 1).map((r) => ({...r, loss: 5e-26, gap: 4.98e-26, relativeGap: 4.98e-26 / (1e-12 * 600)})),
		};
		const text = formatSummary(perfect, DATA, {tolerance: 0.01});
		expect(row(text, 'gap %')).toEqual(['<0.001%']);
		expect(jsonSummary(perfect, DATA).racers[0]!.relativeGap).toBeCloseTo(8.3e-17, 18);
	});
});

describe('jsonSummary', () => {
	it('follows the schema of issue 2', () => {
		const json = JSON.parse(formatJson(SNAPSHOT, DATA, {tolerance: 0.01})) as Record<string, unknown>;
		expect(Object.keys(json)).toEqual(expect.arrayContaining(['data', 'settings', 'optimum', 'racers']));
		expect(json.data).toEqual({source: 'data/boston.csv', rows: 506, features: ['RM', 'LSTAT'], target: 'MEDV', scale: 'minmax'});
		expect(json.settings).toEqual({clock: 'iteration', epochs: 5000, seed: 2023, tolerance: 0.01});
		expect(json.optimum).toMatchObject({weights: [25.5, -23.5], bias: 16.1, loss: L_STAR});
		const racers = json.racers as Record<string, unknown>[];
		expect(racers.map((r) => r.id)).toEqual(['gd', 'sgd', 'mb-epoch']);
		for (const r of racers) {
			for (const key of ['id', 'name', 'rule', 'batch', 'hyper', 'lr', 'lrChanges', 'batchSize', 'iterations', 'updates', 'samples', 'weights', 'bias', 'loss', 'status', 'finished']) {
				expect(r).toHaveProperty(key);
			}
		}
		expect(racers.map((r) => r.status)).toEqual(['finished', 'done', 'diverged']);
		expect(racers[0]?.finished).toEqual({iteration: 1234, samples: 624404, ms: 3.25});
		expect(racers[1]?.finished).toBeNull();
		expect(racers[2]?.diverged).toEqual({iteration: 12 / 17, samples: 360, ms: 0.5});
		expect(racers[0]).toMatchObject({lr: 0.01, batchSize: 506, weights: [25.41862187, -23.60046384], bias: 16.38568321});
		expect(racers[0]).toMatchObject({rule: 'sgd', batch: {kind: 'full', size: 506, shuffle: false}, hyper: {}, lrChanges: []});
		expect(json.curvature).toEqual({lambdaMax: 1.5, lambdaMin: 0.0125, condition: 120, lrMax: 4 / 3});
	});

	it('gives each racer its rule\'s hyperparameters, its final lr and when the lr changed', () => {
		const change = {updates: 17, iteration: 1, samples: 506, ms: 1, from: 0.1, lr: 0.2};
		const adam = racer({id: 'adam', name: 'Adam', rule: 'adam', hyper: {beta1: 0.9, beta2: 0.999, eps: 1e-8}, lr: 0.2, lrChanges: [change]});
		const json = jsonSummary({...SNAPSHOT, racers: [adam]}, DATA);
		expect(json.racers[0]).toMatchObject({rule: 'adam', hyper: {beta1: 0.9, beta2: 0.999, eps: 1e-8}, lr: 0.2, lrChanges: [change]});
		const singular = jsonSummary({...SNAPSHOT, curvature: {lambdaMax: 2, lambdaMin: 0, condition: null, lrMax: 1}}, DATA);
		expect(JSON.parse(JSON.stringify(singular)).curvature).toEqual({lambdaMax: 2, lambdaMin: 0, condition: null, lrMax: 1});
	});

	it('keeps numbers as JSON numbers', () => {
		const json = jsonSummary(SNAPSHOT, DATA);
		expect(typeof json.racers[0]?.loss).toBe('number');
		expect(json.settings.tolerance).toBeNull();
		expect(json.stoppedBy).toBeNull();
	});
});

describe('after --export', () => {
	it('ends the summary with the rows written and the file, and puts both in the JSON document', () => {
		const exported = {path: 'out/history.csv', rows: 20004};
		expect(formatSummary(SNAPSHOT, DATA, {exported}).trimEnd().split('\n').slice(-2)).toEqual(['', 'wrote 20004 rows to out/history.csv']);
		expect(formatSummary(SNAPSHOT, DATA)).not.toContain('wrote');
		expect(exportedLine({path: 'a.csv', rows: 1})).toBe('wrote 1 row to a.csv');
		expect(jsonSummary(SNAPSHOT, DATA, {exported}).export).toEqual(exported);
		expect('export' in jsonSummary(SNAPSHOT, DATA)).toBe(false);
	});
});

describe('the summary with Korean column names', () => {
	const KOREAN: SummaryData = {source: '/데이터/보스턴.csv', rows: 506, features: ['방수', '저소득층비율'], target: '집값', scale: 'minmax'};

	it.each([40, 60, 100])('keeps every column of the results in line at %i columns', (width) => {
		const text = formatSummary(SNAPSHOT, KOREAN, {width});
		const results = text.split('\n').filter((line) => /^(Results|방수|저소득층\S*|bias|loss) /.test(line));
		expect(results.length).toBeGreaterThanOrEqual(5);
		for (const line of text.split('\n')) expect(textWidth(line), line).toBeLessThanOrEqual(width);
		// Each value ends at the same column in every row: where the header's racer id ends.
		const ends = (line: string): number[] => [...line.matchAll(/\S+/g)].slice(1).map((match) => textWidth(line.slice(0, match.index + match[0].length)));
		const header = ends(results[0]!);
		for (const line of results.slice(1)) expect(ends(line).slice(-header.length), line).toEqual(header.slice(0, ends(line).length));
	});
});
