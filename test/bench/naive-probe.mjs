#!/usr/bin/env node
/**
 * The naive Ink baseline of issue 3 ("Speed"): what a straightforward Ink 6.8 app drawing a screen
 * like gdrace's costs, so that `test/bench/tui.mjs` can compare gdrace's CPU per frame with it in
 * the same run on the same machine.
 *
 * A plain `render(<App/>)` with Ink's default options (interactive mode, default `maxFps` 30, no
 * FrameWriter, no debug mode), drawing a 100×30-ish screen of 28 rows:
 *   - a header line;
 *   - an asciichart `plot` of 4 series × 70 points in their own colors (asciichart.cyan, …),
 *     height 18 (19 rows), each series a decaying noisy loss that shifts by one point per update;
 *   - a 4-row table of numbers (racer, iteration, loss, two weights, updates/s).
 * React state is updated at 60 Hz by a setInterval; Ink's own throttle decides what is drawn.
 * The screen stays below the terminal's 30 rows on purpose: at 30 rows or more Ink switches to
 * clearing the whole terminal on every frame, which is not what a typical small app gets.
 *
 * Usage: node test/bench/naive-probe.mjs [seconds]   (runs until killed without an argument)
 * Works with NODE_ENV=production (the benchmark runs it so).
 */
import React from 'react';
import {render, Box, Text} from 'ink';
import asciichart from 'asciichart';

const h = React.createElement;

const POINTS = 70;
const CHART_HEIGHT = 18;
const UPDATE_HZ = 60;
const NAMES = ['gd', 'sgd', 'mb-random', 'mb-epoch'];
const COLORS = [asciichart.cyan, asciichart.magenta, asciichart.yellow, asciichart.green];
const INK_COLORS = ['cyan', 'magenta', 'yellow', 'green'];
const TIME_SCALE = [900, 400, 600, 500];
const NOISE = [0.2, 6, 2.5, 3];

/** A small deterministic PRNG (mulberry32), so runs are comparable. */
function rng(seed) {
	let a = seed >>> 0;
	return () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

const random = rng(2023);

/** Loss of series `k` at step `t`: a decaying curve towards 30.5 plus noise. */
function loss(k, t) {
	return 30.5 + 560 * Math.exp(-t / TIME_SCALE[k]) + NOISE[k] * (random() - 0.5) * (1 + 4 * Math.exp(-t / 2000));
}

function initialState() {
	const series = NAMES.map((_, k) => Array.from({length: POINTS}, (_, i) => loss(k, i)));
	return {step: POINTS, series, weights: NAMES.map(() => [0, 0])};
}

function advance(state) {
	const step = state.step + 1;
	const series = state.series.map((points, k) => [...points.slice(1), loss(k, step)]);
	const weights = state.weights.map(([w0, w1], k) => [w0 + (22.5 - w0) * 0.001 * (k + 1), w1 + (-5.2 - w1) * 0.001 * (k + 1)]);
	return {step, series, weights};
}

const pad = (text, width) => String(text).padStart(width);

function App() {
	const [state, setState] = React.useState(initialState);
	const started = React.useRef(performance.now());

	React.useEffect(() => {
		const timer = setInterval(() => setState(advance), 1000 / UPDATE_HZ);
		return () => clearInterval(timer);
	}, []);

	const seconds = Math.max(1e-3, (performance.now() - started.current) / 1000);
	const chart = asciichart.plot(state.series, {height: CHART_HEIGHT, colors: COLORS, format: (x) => pad(x.toFixed(2), 10)});

	return h(
		Box,
		{flexDirection: 'column', width: 100},
		h(
			Text,
			{bold: true},
			h(Text, {color: 'cyan'}, 'Naive Ink probe'),
			`  boston.csv  506 rows  iteration ${state.step}  speed 256/s  ${(state.step / seconds).toFixed(1)} updates/s`,
		),
		h(Text, null, ' '),
		h(Text, null, chart),
		h(Text, null, ' '),
		h(Text, {bold: true}, `${'racer'.padEnd(12)}${pad('iteration', 11)}${pad('loss', 12)}${pad('w0', 12)}${pad('w1', 12)}${pad('upd/s', 12)}`),
		...NAMES.map((name, k) =>
			h(
				Text,
				{key: name},
				h(Text, {color: INK_COLORS[k]}, name.padEnd(12)),
				pad(state.step, 11),
				pad(state.series[k][POINTS - 1].toFixed(4), 12),
				pad(state.weights[k][0].toFixed(4), 12),
				pad(state.weights[k][1].toFixed(4), 12),
				pad((UPDATE_HZ * (1 + k)).toFixed(1), 12),
			),
		),
		h(Text, {dimColor: true}, 'q quit · space pause · + faster · - slower'),
	);
}

const seconds = Number(process.argv[2]);
const app = render(h(App));
if (Number.isFinite(seconds) && seconds > 0) {
	setTimeout(() => app.unmount(), seconds * 1000);
}
await app.waitUntilExit();
process.exit(0);
