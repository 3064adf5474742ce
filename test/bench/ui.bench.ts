/**
 * The live screen's drawing layer (issue 3, "Speed"): `npx vitest bench --run test/bench/ui.bench.ts`.
 * (1) the chart model for 4 racers × full 2048-bucket histories at 70×18, per view; (2) the frame
 * writer on a simulated 100×30 race screen (an Ink-style text frame with a colored table, plus
 * the chart's canvas layer from a live book race at the default 256 iterations/s and 30 frames/s):
 * CPU per present and bytes per frame. Besides Vitest's table, each prints a summary.
 */
import {bench, describe} from 'vitest';
import {History} from '../../src/engine/history.js';
import type {HistoryColumns} from '../../src/engine/history.js';
import {Race} from '../../src/engine/race.js';
import {Rng} from '../../src/engine/rng.js';
import {buildChart, seriesColor} from '../../src/ui/chart.js';
import type {ChartOptions, ChartSeries} from '../../src/ui/chart.js';
import {formatCount, formatFixed, formatPercent, formatRate, formatSignificant} from '../../src/ui/format.js';
import {FrameWriter} from '../../src/ui/terminal/frame-writer.js';
import type {TerminalStream} from '../../src/ui/terminal/frame-writer.js';
import {bookConfig} from '../engine/fixtures.js';

function median(values: readonly number[]): number {
	const sorted = [...values].sort((a, b) => a - b);
	return sorted[Math.floor(sorted.length / 2)]!;
}

function timeRuns(runs: number, fn: () => void): number[] {
	return Array.from({length: runs}, () => {
		const started = performance.now();
		fn();
		return performance.now() - started;
	});
}

/** A full history: 10^6 noisy, decaying losses with rare spikes, decimated into 2048 buckets. */
function fullHistory(seed: number): HistoryColumns {
	const rng = Rng.fromSeed(seed, 'bench-history');
	const history = new History(2048);
	const point = new Float64Array(4);
	for (let i = 0; i < 1_000_000; i++) {
		point[0] = i;
		point[1] = i * 30;
		point[2] = i * 0.01;
		point[3] = 30.5 + 560 * Math.exp(-i / (2e4 * (seed + 1))) + rng.float() * (seed + 0.1) + (rng.int(50_000) === 0 ? 200 : 0);
		history.record(point);
	}
	return history.columns();
}

describe('(1) chart model: 4 racers × 2048-bucket histories at 70×18', () => {
	const series: ChartSeries[] = [0, 1, 2, 3].map((slot) => ({id: `r${slot}`, slot, history: fullHistory(slot)}));
	const options = (view: ChartOptions['view']): ChartOptions => ({
		series,
		lossStar: 30.5,
		view,
		clock: 'iteration',
		dataRows: 506,
		epochs: 1_000_000,
		width: 70,
		height: 18,
	});
	const lines = [`chart model, ${series[0]!.history.loss.length} points per racer (median of 200 calls):`];
	for (const view of ['linear', 'log', 'gap'] as const) {
		bench(`buildChart ${view}`, () => {
			buildChart(options(view));
		}, {time: 1000, warmupTime: 300});
		timeRuns(50, () => buildChart(options(view)));
		lines.push(`  ${view}: ${(median(timeRuns(200, () => buildChart(options(view)))) * 1000).toFixed(0)} µs`);
	}
	console.log(lines.join('\n'));
});

/** A terminal that only counts. */
class NullTerminal {
	columns = 100;
	rows = 30;
	writableNeedDrain = false;
	writes = 0;
	write(): boolean {
		this.writes++;
		return true;
	}
	on(): this {
		return this;
	}
	off(): this {
		return this;
	}
}

const ESC = '\u001B';
const sgr = (codes: string, text: string, close: string) => `${ESC}[${codes}m${text}${ESC}[${close}m`;
const ANSI: Record<string, string> = {cyan: '36', magenta: '35', yellow: '33', green: '32', blue: '34', red: '31', white: '37'};

/**
 * One frame of a race screen as Ink would write it at 100×30 (layout as src/ui/layout.ts gives
 * it: 2 header rows, the legend, 17 plot rows with their labels, 2 x-axis rows, the table of
 * 4 racers + titles + optimum, the footer), with chalk-style codes closed per span.
 */
function inkFrame(race: Race, chart: ReturnType<typeof buildChart>, elapsed: number): string {
	const snapshot = race.snapshot();
	const lines: string[] = [];
	lines.push(sgr('1', 'gdrace', '22') + ` · boston.csv (506 rows) · RM, LSTAT → MEDV · clock iteration · seed 2023 · speed 256/s`);
	lines.push(`elapsed ${(elapsed / 1000).toFixed(1)} s · running`);
	lines.push(snapshot.racers.map((racer, slot) => sgr(ANSI[seriesColor(slot)]!, `─ ${racer.id}`, '39')).join('  ') + sgr('2', '  ╌ L*', '22'));
	for (const label of chart.yLabels) lines.push(label.trimEnd());
	lines.push(`${' '.repeat(10)}${chart.xTicks}`);
	lines.push(`${chart.xUnit.padStart(9)} ${chart.xLabels}`.trimEnd());
	lines.push(sgr('1', 'racer      iteration  samples  w RM      w LSTAT   bias      loss       gap     status          rate', '22'));
	snapshot.racers.forEach((racer, slot) => {
		lines.push(
			[
				sgr(ANSI[seriesColor(slot)]!, racer.id.padEnd(9), '39'),
				formatCount(racer.iterations, 8),
				formatCount(racer.samples, 7),
				formatFixed(racer.weights[0]!, 9),
				formatFixed(racer.weights[1]!, 9),
				formatFixed(racer.bias, 9),
				formatSignificant(racer.loss, 10),
				formatPercent(racer.gap / snapshot.optimum.loss, 7),
				sgr('32', 'running'.padEnd(15), '39'),
				formatRate(racer.updates * 30, 8),
			].join(' '),
		);
	});
	lines.push(sgr('2', `optimum   ${' '.repeat(17)}${formatFixed(snapshot.optimum.weights[0]!, 9)} ${formatFixed(snapshot.optimum.weights[1]!, 9)} ${formatFixed(snapshot.optimum.bias, 9)} ${formatSignificant(snapshot.optimum.loss, 10)}`, '22'));
	lines.push(sgr('2', 'space pause  s step  +/- speed  c clock  l log  g gap  1-4 racers  r restart  ? help  q quit', '22'));
	return lines.join('\n');
}

describe('(2) frame writer: a 100×30 race screen at 30 frames/s', () => {
	const terminal = new NullTerminal();
	const writer = new FrameWriter(terminal as TerminalStream);
	const plot = {x: 10, y: 3, width: 90, height: 17};
	let race = new Race(bookConfig());
	let frame = 0;
	let bytesAtStart = 0;
	const build = () =>
		buildChart({
			series: race.racers.map((racer, slot) => ({id: racer.id, slot, history: racer.history.columns()})),
			lossStar: race.optimum.loss,
			view: 'linear',
			clock: 'iteration',
			dataRows: 506,
			epochs: 5000,
			width: plot.width,
			height: plot.height,
		});
	/** One frame of the race: the engine's work for 1/30 s at 256 iterations/s, then chart, Ink text, layer, present. */
	const step = (): {chart: number; present: number} => {
		if (race.over) {
			race = new Race(bookConfig());
			writer.invalidate();
		}
		race.advance(256 / 30);
		frame++;
		const t0 = performance.now();
		const chart = build();
		const t1 = performance.now();
		const text = inkFrame(race, chart, (frame * 1000) / 30);
		const t2 = performance.now();
		writer.write(text);
		writer.setLayer('plot', plot, chart.canvas);
		writer.present();
		const t3 = performance.now();
		return {chart: t1 - t0, present: t3 - t2};
	};
	writer.start();
	for (let i = 0; i < 60; i++) step();
	bench('one frame: chart model + Ink text parse + compose + diff', () => {
		step();
	}, {time: 2000, warmupTime: 300});
	// A whole book race (5000 iterations at 256/s ≈ 586 frames), measured frame by frame.
	race = new Race(bookConfig());
	writer.invalidate();
	step();
	bytesAtStart = writer.stats.bytes;
	const framesAtStart = writer.stats.frames;
	const charts: number[] = [];
	const presents: number[] = [];
	let frames = 0;
	while (!race.over) {
		const {chart, present} = step();
		charts.push(chart);
		presents.push(present);
		frames++;
	}
	const bytes = writer.stats.bytes - bytesAtStart;
	writer.stop();
	console.log(
		[
			`frame writer, one book race at 256 iterations/s and 30 frames/s: ${frames} frames (${writer.stats.frames - framesAtStart - 1} written)`,
			`  chart model: median ${(median(charts) * 1000).toFixed(0)} µs per frame (90×17)`,
			`  present (parse Ink's text + compose + diff + write): median ${(median(presents) * 1000).toFixed(0)} µs, max ${Math.max(...presents).toFixed(2)} ms`,
			`  bytes: ${(bytes / frames).toFixed(0)} per frame on average → ${((bytes / frames) * 30 / 1024).toFixed(1)} KiB/s at 30 frames/s (goal <= 40 KB/s for the whole app)`,
		].join('\n'),
	);
});
