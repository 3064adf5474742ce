/**
 * "Divergence and numbers": a learning rate that makes racers diverge marks each of them diverged
 * at the iteration where it happened, the others race on, no NaN or Infinity ever reaches the
 * output (summary, JSON, log, export, live chart and table), and the exit code is 0. Extremely
 * small learning rates, a single row, a single feature and 50 features all work.
 */
import {readFileSync} from 'node:fs';
import {afterAll, afterEach, beforeAll, describe, expect, it} from 'vitest';
import {DIVERGENCE_FACTOR} from '../../src/engine/racer.js';
import {bostonByHand} from '../engine/fixtures.js';
import {disposeAll, spawnGdrace} from '../e2e/pty.js';
import type {JsonDoc, JsonRacer} from './helpers.js';
import {RACER_IDS, expectNoNonFinite, gdraceRun, jsonNumbers, lastFrameBeforeRestore, parseJson, readCsvExport, scratchDir} from './helpers.js';

const scratch = scratchDir('divergence');
afterAll(() => scratch.cleanup());
afterEach(disposeAll);

beforeAll(() => {
	scratch.write('one-row.csv', 'a,b,y\n1,2,3\n');
	scratch.write('one-row-one-feature.csv', 'x,y\n2,5\n');
	// 50 features, 300 rows, y a known linear function plus a little noise (MINSTD, so the same file every run).
	let seed = 12345;
	const next = () => {
		seed = (seed * 48271) % 2147483647;
		return seed / 2147483647;
	};
	const names = Array.from({length: 50}, (_, j) => `f${j + 1}`);
	const lines = [`${names.join(',')},y`];
	for (let i = 0; i < 300; i++) {
		const x = names.map(() => Math.round(next() * 1000) / 100);
		const y = x.reduce((sum, v, j) => sum + v * ((j % 7) - 3), 5) + (next() - 0.5);
		lines.push(`${x.join(',')},${y.toFixed(4)}`);
	}
	scratch.write('wide.csv', `${lines.join('\n')}\n`);
});

/** Runs `--json` with `args`; exit 0, nothing on stderr, valid JSON with only finite numbers. */
async function json(args: readonly string[]): Promise<JsonDoc> {
	const result = await gdraceRun(['--json', ...args], {cwd: scratch.dir});
	expect(result.stderr).toBe('');
	expect(result.code).toBe(0);
	return parseJson(result.stdout);
}

function racer(doc: JsonDoc, id: string): JsonRacer {
	const found = doc.racers.find((r) => r.id === id);
	if (found === undefined) throw new Error(`no racer ${id}`);
	return found;
}

/** A diverged racer: status, a diverged point, and the last finite weights and loss kept. */
function expectDiverged(r: JsonRacer): void {
	expect(r.status, r.id).toBe('diverged');
	expect(r.diverged, r.id).not.toBeNull();
	expect(r.diverged?.iteration).toBeGreaterThan(0);
	expect(r.finished).toBeNull();
	// It stopped where it blew up: the last update it kept is the one before.
	expect(r.iterations).toBeLessThan(r.diverged?.iteration ?? 0);
	expect(r.updates).toBeGreaterThanOrEqual(0);
}

/** A racer that raced to the end. */
function expectRacedOn(r: JsonRacer, epochs: number): void {
	expect(r.status, r.id).not.toBe('diverged');
	expect(r.diverged).toBeNull();
	expect(r.iterations, r.id).toBe(epochs);
}

/** Full-batch gradient descent by hand from w = 0, b = 1: the loss after 0, 1, … `steps` steps. */
function gdLosses(lr: number, steps: number): number[] {
	const {x, y} = bostonByHand();
	const n = y.length;
	let w1 = 0;
	let w2 = 0;
	let b = 1;
	const loss = () => x.reduce((sum, [x1, x2], i) => sum + ((y[i] as number) - (w1 * x1 + w2 * x2 + b)) ** 2, 0) / n;
	const losses = [loss()];
	for (let step = 0; step < steps; step++) {
		let g1 = 0;
		let g2 = 0;
		let g0 = 0;
		x.forEach(([x1, x2], i) => {
			const diff = (y[i] as number) - (w1 * x1 + w2 * x2 + b);
			g1 += diff * x1;
			g2 += diff * x2;
			g0 += diff;
		});
		w1 += lr * (2 / n) * g1;
		w2 += lr * (2 / n) * g2;
		b += lr * (2 / n) * g0;
		losses.push(loss());
	}
	return losses;
}

// Independent processes: side by side.
describe.concurrent('divergence (headless)', {timeout: 30_000}, () => {
	it.each([
		['--lr 5', ['--lr', '5']],
		['--lr 50', ['--lr', '50']],
		['--scale none at the default learning rate', ['--scale', 'none']],
		['--lr 1e308 (the first step overflows)', ['--lr', '1e308']],
	] as const)('%s: every racer diverges, --json stays valid, exit 0', async (_name, args) => {
		const doc = await json([...args, '--epochs', '500']);
		expect(doc.racers.map((r) => r.id)).toEqual([...RACER_IDS]);
		for (const r of doc.racers) expectDiverged(r);
	});

	it('marks gd diverged at the very iteration whose loss exploded (worked out by hand)', async () => {
		const doc = await json(['--lr', '5', '--optimizers', 'gd', '--epochs', '100']);
		const gd = racer(doc, 'gd');
		const losses = gdLosses(5, 10);
		const limit = DIVERGENCE_FACTOR * (losses[0] as number);
		const blewUp = losses.findIndex((loss) => !(loss <= limit));
		expect(blewUp).toBeGreaterThan(1);
		expect(gd.diverged?.iteration).toBe(blewUp);
		expect(gd.diverged?.samples).toBe(blewUp * 506);
		// The racer keeps the last finite state: the iteration before, with its loss.
		expect(gd.iterations).toBe(blewUp - 1);
		expect(Math.abs(gd.loss / (losses[blewUp - 1] as number) - 1)).toBeLessThan(1e-9);
	});

	it('one diverging racer (--lr.sgd 50): diverged at iteration 2, the rest race on to the end', async () => {
		const doc = await json(['--lr.sgd', '50']);
		const sgd = racer(doc, 'sgd');
		expectDiverged(sgd);
		expect(sgd.diverged).toMatchObject({iteration: 2, samples: 2});
		expect(sgd.iterations).toBe(1);
		for (const id of ['gd', 'mb-random', 'mb-epoch']) {
			const r = racer(doc, id);
			expectRacedOn(r, 5000);
			// At the default learning rate they get close to the optimum.
			expect(r.loss / doc.optimum.loss).toBeLessThan(1.2);
		}
		// One iteration fewer, and the racer is not diverged yet: the mark is the iteration where it happened.
		const before = await json(['--lr.sgd', '50', '--optimizers', 'sgd', '--epochs', '1']);
		expect(racer(before, 'sgd')).toMatchObject({status: 'done', iterations: 1, diverged: null});
	});

	it('unscaled features: only the racer with the larger rate diverges', async () => {
		const doc = await json(['--scale', 'none', '--lr', '0.001', '--lr.mb-random', '0.005']);
		expectDiverged(racer(doc, 'mb-random'));
		for (const id of ['gd', 'sgd', 'mb-epoch']) expectRacedOn(racer(doc, id), 5000);
	});

	it('--plain: diverged in the table, no NaN or Infinity anywhere, exit 0', async () => {
		for (const args of [['--lr', '50'], ['--lr.sgd', '50'], ['--scale', 'none'], ['--lr', '1e308']]) {
			const result = await gdraceRun(['--plain', '--epochs', '300', ...args], {cwd: scratch.dir});
			expect(result.code).toBe(0);
			expect(result.stderr).toBe('');
			expectNoNonFinite(result.stdout);
			expect(result.stdout).toMatch(/^status +.*diverged/m);
			expect(result.stdout).toMatch(/^ {2}at iteration +.*\d/m);
		}
	});

	it('--log ndjson and --export stay finite while racers diverge', async () => {
		const path = scratch.path('diverging.csv');
		const result = await gdraceRun(['--log', 'ndjson', '--lr.sgd', '50', '--lr.gd', '5', '--epochs', '200', '--export', path], {cwd: scratch.dir});
		expect(result.code).toBe(0);
		expect(result.stderr).toBe('');
		expectNoNonFinite(result.stdout);
		const lines = result.stdout.trimEnd().split('\n');
		for (const line of lines) {
			for (const {path: at, value} of jsonNumbers(JSON.parse(line))) expect(Number.isFinite(value), `${at} in ${line}`).toBe(true);
		}
		expectNoNonFinite(readFileSync(path, 'utf8'));
		const rows = readCsvExport(path);
		// The diverged racers' histories stop at their last finite point.
		expect(rows.filter((row) => row.racer === 'sgd').map((row) => row.iteration)).toEqual([0, 1]);
		expect(Math.max(...rows.filter((row) => row.racer === 'gd').map((row) => row.iteration))).toBe(3);
		expect(Math.max(...rows.filter((row) => row.racer === 'mb-random').map((row) => row.iteration))).toBe(200);
	});
});

describe.concurrent('extreme but valid settings', {timeout: 30_000}, () => {
	it('a tiny learning rate (1e-12, and the smallest double 5e-324): nobody moves, nothing breaks', async () => {
		for (const lr of ['1e-12', '5e-324']) {
			const doc = await json(['--lr', lr, '--epochs', '1000']);
			for (const r of doc.racers) {
				expect(r.status).toBe('done');
				expect(r.iterations).toBe(1000);
				expect(Math.abs(r.loss / 548.0813043478262 - 1)).toBeLessThan(1e-6);
				for (const w of r.weights) expect(Math.abs(w)).toBeLessThan(1e-3);
			}
		}
	});

	it('a single row with --scale none (the optimum is not unique, L* = 0)', async () => {
		const doc = await json(['--data', 'one-row.csv', '--features', 'a,b', '--target', 'y', '--scale', 'none']);
		expect(doc.data.rows).toBe(1);
		expect(doc.optimum).toMatchObject({unique: false, loss: 0});
		for (const r of doc.racers) {
			expect(r.batchSize).toBe(1);
			expect(r.status).not.toBe('diverged');
		}
		const plain = await gdraceRun(['--plain', '--data', 'one-row.csv', '--features', 'a,b', '--target', 'y', '--scale', 'none'], {cwd: scratch.dir});
		expect(plain.code).toBe(0);
		expectNoNonFinite(plain.stdout);
		expect(plain.stdout).toContain('note: optimal weights are not unique');
		const single = await json(['--data', 'one-row-one-feature.csv', '--features', 'x', '--target', 'y', '--scale', 'none', '--epochs', '100']);
		expect(single.data.rows).toBe(1);
	});

	it('a single feature', async () => {
		const doc = await json(['--features', 'LSTAT', '--epochs', '2000']);
		expect(doc.data.features).toEqual(['LSTAT']);
		expect(doc.optimum.weights).toHaveLength(1);
		for (const r of doc.racers) expect(r.weights).toHaveLength(1);
		expect(racer(doc, 'gd').loss / doc.optimum.loss).toBeLessThan(1.1);
	});

	it('50 features: --json has 50 weights, the --plain table 50 rows', async () => {
		const features = Array.from({length: 50}, (_, j) => `f${j + 1}`).join(',');
		const args = ['--data', 'wide.csv', '--features', features, '--target', 'y', '--epochs', '1000'];
		const doc = await json(args);
		expect(doc.data.rows).toBe(300);
		expect(doc.optimum.unique).toBe(true);
		expect(doc.optimum.weights).toHaveLength(50);
		for (const r of doc.racers) expect(r.weights).toHaveLength(50);
		expect(racer(doc, 'gd').status).not.toBe('diverged');
		const plain = await gdraceRun(['--plain', ...args], {cwd: scratch.dir});
		expect(plain.code).toBe(0);
		expectNoNonFinite(plain.stdout);
		for (let j = 1; j <= 50; j++) expect(plain.stdout).toMatch(new RegExp(`^f${j} +-?\\d`, 'm'));
		// The table grows taller, not wider.
		expect(Math.max(...plain.stdout.split('\n').map((line) => line.length))).toBeLessThan(120);
	});
});

describe('divergence in the live screen', () => {
	it.each([
		['one racer diverges (--lr.sgd 50)', ['--lr.sgd', '50'], 1],
		['every racer diverges, unscaled features', ['--scale', 'none'], 4],
		['every racer diverges at --lr 50', ['--lr', '50'], 4],
	] as const)('%s: "diverged" shows, never NaN or Infinity, exit 0', async (_name, args, diverging) => {
		const term = spawnGdrace([...args, '--epochs', '3000', '--exit-on-finish', '--speed', '100000'], {cwd: scratch.dir});
		expect(await term.waitForExit(20_000)).toEqual({exitCode: 0, signal: null});
		// Every frame drawn, whatever the machine's speed let a poll see: no NaN or Infinity in any byte.
		expectNoNonFinite(term.raw());
		// The last frame (held a second by --exit-on-finish) marks the diverged racers
		// in the table ("diverged @<iteration>") and in the legend ("×× SGD diverged").
		const last = (await lastFrameBeforeRestore(term)).join('\n');
		expect(last).toMatch(/^gdrace/);
		expect(last.match(/^(?:GD|SGD|MB-random|MB-epoch) .* diverged @[\d.,]+/gm)?.length, last).toBe(diverging);
		expect(last.match(/×× \S+ diverged/g)?.length, last).toBe(diverging);
		if (diverging === 1) expect(last).toMatch(/^SGD +1 +1 .* diverged @2$/m);
		// And the summary left in the scrollback says so too.
		const summary = term.scrollback().join('\n');
		expectNoNonFinite(summary);
		expect(summary).toMatch(/^status +.*diverged/m);
	}, 30_000);

	it('50 features in the live screen: drawn without NaN, q quits with 0', async () => {
		const features = Array.from({length: 50}, (_, j) => `f${j + 1}`).join(',');
		const term = spawnGdrace(['--data', 'wide.csv', '--features', features, '--target', 'y', '--speed', '2000'], {cwd: scratch.dir});
		// Drawn, and the race has moved.
		await term.waitFor(/^GD +[\d,]*[1-9]/m, {timeout: 15_000});
		expectNoNonFinite(term.text());
		expect(term.screen()[0]).toMatch(/^gdrace {2}wide\.csv · 300 rows · f1, f2, f3/);
		term.press('q');
		expect(await term.waitForExit(15_000)).toEqual({exitCode: 0, signal: null});
		expectNoNonFinite(term.raw());
	}, 30_000);
});
