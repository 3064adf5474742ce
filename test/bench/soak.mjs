#!/usr/bin/env node
/**
 * Soak test of issue 4: memory stays flat and nothing slows down over a long race.
 *
 *   npm run bench:soak                  (builds dist/ first; about 10.5 minutes)
 *   node test/bench/soak.mjs [--minutes 10] [--headless-updates 100000000] [--repeat 3] [--skip-live] [--skip-headless] [--json] [-- gdrace args…]
 *   node test/bench/tui.mjs --soak …    (the same)
 *
 * 1. Live: `gdrace --speed 16777216 --epochs 1000000000` in a 100×30 pseudo-terminal (the cleaned
 *    environment of tui.mjs, NODE_ENV=production) for `--minutes`: 2^24 clock units per second is
 *    the scheduler's MAX_SPEED, so the engine runs as fast as its share of each frame allows, and
 *    1e9 epochs cannot be reached in 10 minutes. Every 5 s: RSS (/proc VmRSS), CPU, bytes and
 *    frames, and the screen (a headless xterm) for the racers' iterations and updates/s.
 *    Prints per minute frames/s, KB/s, CPU %, RSS and iterations/s, and three memory checks
 *    (pass at ≤ 1.1×): VmHWM at 30 s vs at the end; highest RSS in the minute after 30 s vs in the
 *    last minute; RSS at 30 s vs the highest RSS after it (the literal reading, at the mercy of
 *    the GC's sawtooth); and speed (pass: the last minute keeps ≥ 90 % of the frames/s and
 *    iterations/s of the minute after the 30 s mark).
 * 2. Headless: `gdrace --plain --optimizers sgd --epochs 100000000` (stdout a pipe), RSS sampled
 *    every 250 ms: the reference value is RSS at 30 s, or at 1 s when the run is shorter than
 *    45 s; pass: peak ≤ 1.1 × reference. A second run of half the updates gives the first half's
 *    time and a third of one update the start-up cost, so the updates per CPU second of the
 *    first and second halves can be compared from outside (the plain summary prints nothing while
 *    it runs); each run is made `--repeat` times and the fastest kept.
 */
import {spawn} from 'node:child_process';
import {readFileSync} from 'node:fs';
import {pathToFileURL} from 'node:url';
import {
	benchEnv, between, CLK_TCK, cliPath, COLS, ensureBuilt, machineLine, MAX_SPEED, readProc, repoRoot, ROWS, sample, sleep, startSession,
} from './tui.mjs';

const SAMPLE_MS = 5000;
const MEMORY_REF_S = 30;
const FLAT = 1.1;
const SLOWDOWN = 0.9;
/**
 * --epochs of the live soak: out of reach in 10 minutes (about 1.5e8 iterations per racer here),
 * yet small enough that the chart's x axis (which spans the epochs) shows the curves over a few
 * columns rather than squeezing them into the first one.
 */
const LIVE_EPOCHS = 1e9;

function parseOptions(argv) {
	const options = {minutes: 10, headlessUpdates: 1e8, repeat: 3, live: true, headless: true, json: false, gdraceArgs: /** @type {string[]} */ ([])};
	const dash = argv.indexOf('--');
	const own = dash === -1 ? argv : argv.slice(0, dash);
	if (dash !== -1) options.gdraceArgs = argv.slice(dash + 1);
	for (let i = 0; i < own.length; i++) {
		const flag = own[i];
		const value = () => {
			const next = own[++i];
			if (next === undefined) throw new Error(`${flag} needs a value`);
			return Number(next);
		};
		if (flag === '--minutes') options.minutes = value();
		else if (flag === '--headless-updates') options.headlessUpdates = value();
		else if (flag === '--repeat') options.repeat = value();
		else if (flag === '--skip-live') options.live = false;
		else if (flag === '--skip-headless') options.headless = false;
		else if (flag === '--json') options.json = true;
		else if (flag === '--help' || flag === '-h') {
			console.log(
				'Usage: node test/bench/soak.mjs [--minutes 10] [--headless-updates 100000000] [--repeat 3] [--skip-live] [--skip-headless] [--json] [-- gdrace args]',
			);
			process.exit(0);
		} else throw new Error(`unknown option ${flag}`);
	}
	if (!(Number.isInteger(options.repeat) && options.repeat >= 1)) throw new Error('--repeat must be a positive integer');
	if (!(options.minutes > 0)) throw new Error('--minutes must be > 0');
	if (!(Number.isInteger(options.headlessUpdates) && options.headlessUpdates >= 2)) throw new Error('--headless-updates must be an integer >= 2');
	return options;
}

/** '1,234,567' → 1234567, '12.3k' → 12300, '4.35k/s' → 4350, '1.2M' → 1.2e6; NaN otherwise. */
export function parseAmount(text) {
	const match = /^(-?[\d,]*\.?\d+(?:e[+-]?\d+)?)([kMGTPE]?)(?:\/s)?$/.exec(text ?? '');
	if (!match) return Number.NaN;
	const scale = {'': 1, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18}[match[2]];
	return Number(match[1].replaceAll(',', '')) * scale;
}

const RACER_ROW = /^(GD|SGD|MB-random|MB-epoch)\s/;
/** Wide enough for the table's upd/s column, which the soak reads (at 100 columns the table drops it first). */
const SOAK_COLS = Math.max(COLS, 110);

/** What the live screen shows: each racer's iterations and updates/s, the speed line. */
function readScreen(rows) {
	// The upd/s column is the table's last when shown (from 106 columns); NaN without it.
	const titles = rows.find((row) => /^racer\s/.test(row)) ?? '';
	const hasRate = /\supd\/s\s*$/.test(titles);
	const racers = rows
		.filter((row) => RACER_ROW.test(row))
		.map((row) => {
			const tokens = row.trim().split(/\s+/);
			return {name: tokens[0], iterations: parseAmount(tokens[1]), rate: hasRate ? parseAmount(tokens.at(-1)) : Number.NaN};
		});
	return {
		racers,
		iterations: racers.reduce((sum, r) => sum + r.iterations, 0),
		rate: racers.reduce((sum, r) => sum + r.rate, 0),
		clockLine: rows[1]?.trim() ?? '',
		status: (rows[0] ?? '').trim().split(/\s+/).at(-1),
	};
}

const fixed = (value, digits) => (Number.isFinite(value) ? value.toFixed(digits) : '—');
const mb = (kb) => fixed(kb / 1024, 1);
const compact = (n) => (!Number.isFinite(n) ? '—' : n >= 1e6 ? `${(n / 1e6).toFixed(2)}M` : n >= 1e3 ? `${(n / 1e3).toFixed(1)}k` : n.toFixed(0));

function formatTable(rows) {
	const widths = rows[0].map((_, c) => Math.max(...rows.map((row) => String(row[c]).length)));
	return rows.map((row) => row.map((cell, c) => String(cell).padStart(widths[c])).join('  ')).join('\n');
}

/** The sample nearest to `seconds` after the start (the first at or after it, else the last). */
function sampleAt(samples, seconds) {
	return samples.find((s) => s.t >= seconds) ?? samples.at(-1);
}

async function soakLive({minutes, gdraceArgs}) {
	const args = [cliPath, '--speed', String(MAX_SPEED), '--epochs', String(LIVE_EPOCHS), ...gdraceArgs];
	console.error(`live: node dist/cli.cjs ${args.slice(1).join(' ')}  (${SOAK_COLS}×${ROWS} pty, ${minutes} min, sample every ${SAMPLE_MS / 1000} s)`);
	const session = startSession(process.execPath, args, {cols: SOAK_COLS});
	const stop = () => void session.stop(500).then(() => process.exit(130));
	process.once('SIGINT', stop);
	const samples = [];
	const first = sample(session);
	const t0 = first.time;
	let firstScreen;
	try {
		const total = minutes * 60 * 1000;
		for (let next = SAMPLE_MS; next <= total + 1; next += SAMPLE_MS) {
			await Promise.race([sleep(Math.max(0, t0 + next - performance.now())), session.exited]);
			if (session.exit) throw new Error(`gdrace ended after ${((performance.now() - t0) / 1000).toFixed(1)} s: ${JSON.stringify(session.exit)}`);
			const s = sample(session);
			const rows = await session.screen();
			firstScreen ??= rows;
			samples.push({...s, t: (s.time - t0) / 1000, screen: readScreen(rows)});
			if (samples.length % 12 === 0) {
				const last = samples.at(-1);
				console.error(`  ${last.t.toFixed(0)} s: RSS ${mb(last.rssKb)} MB, ${last.frames} frames, ${compact(last.screen.iterations)} iterations (4 racers), ${last.screen.status}`);
			}
		}
	} finally {
		process.off('SIGINT', stop);
		await session.stop();
	}

	// Per minute: figures between the samples at the minute's edges.
	const perMinute = [];
	for (let m = 0; m < Math.ceil(minutes); m++) {
		const from = m === 0 ? {...first, t: 0, screen: {iterations: 0}} : sampleAt(samples, m * 60);
		const to = sampleAt(samples, Math.min((m + 1) * 60, minutes * 60));
		if (!from || !to || to.t <= from.t) continue;
		const inMinute = samples.filter((s) => s.t > from.t && s.t <= to.t);
		perMinute.push({
			minute: m + 1,
			...between(from, to),
			rssKbMax: Math.max(...inMinute.map((s) => s.rssKb)),
			rssKbEnd: to.rssKb,
			updatesPerSecond: (to.screen.iterations - from.screen.iterations) / (to.t - from.t),
			updatesPerCpuSecond: (to.screen.iterations - from.screen.iterations) / ((to.ticks - from.ticks) / CLK_TCK),
			shownRate: inMinute.reduce((sum, s) => sum + s.screen.rate, 0) / inMinute.length,
		});
	}
	const ref = sampleAt(samples, MEMORY_REF_S);
	const after = samples.filter((s) => s.t >= ref.t);
	const peakAfter = Math.max(...after.map((s) => s.rssKb));
	const hwm = samples.at(-1).hwmKb;
	// RSS follows the garbage collector's sawtooth (tens of MB at this speed), so the single value
	// at 30 s may be a trough: the peaks are compared too, VmHWM at 30 s against VmHWM at the end,
	// and the highest RSS of the first minute after 30 s against that of the last minute.
	const maxRss = (list) => Math.max(...list.map((s) => s.rssKb));
	const firstMinuteMax = maxRss(samples.filter((s) => s.t >= ref.t && s.t <= ref.t + 60));
	const lastMinuteMax = maxRss(samples.filter((s) => s.t >= samples.at(-1).t - 60));
	// Slowdown check: the minute after the 30 s mark against the last minute.
	const span = Math.min(60, (samples.at(-1).t - ref.t) / 2);
	const early = [ref, sampleAt(samples, ref.t + span)];
	const late = [sampleAt(samples, samples.at(-1).t - span), samples.at(-1)];
	const rate = ([a, b]) => (b.screen.iterations - a.screen.iterations) / (b.t - a.t);
	const earlyFig = {...between(early[0], early[1]), updatesPerSecond: rate(early)};
	const lateFig = {...between(late[0], late[1]), updatesPerSecond: rate(late)};
	return {
		command: `node dist/cli.cjs ${args.slice(1).join(' ')}`,
		speedLine: firstScreen?.[1]?.trim(),
		lastScreen: samples.at(-1).screen,
		rssAt30Kb: ref.rssKb,
		rssAt30T: ref.t,
		peakRssAfter30Kb: peakAfter,
		vmHwmKb: hwm,
		memoryRatio: peakAfter / ref.rssKb,
		memoryFlat: peakAfter <= FLAT * ref.rssKb,
		vmHwmAt30Kb: ref.hwmKb,
		hwmRatio: hwm / ref.hwmKb,
		hwmFlat: hwm <= FLAT * ref.hwmKb,
		firstMinuteMaxKb: firstMinuteMax,
		lastMinuteMaxKb: lastMinuteMax,
		maxRatio: lastMinuteMax / firstMinuteMax,
		maxFlat: lastMinuteMax <= FLAT * firstMinuteMax,
		perMinute,
		early: {from: early[0].t, to: early[1].t, ...earlyFig},
		late: {from: late[0].t, to: late[1].t, ...lateFig},
		noSlowdown: lateFig.fps >= SLOWDOWN * earlyFig.fps && lateFig.updatesPerSecond >= SLOWDOWN * earlyFig.updatesPerSecond,
		rssSamplesKb: samples.map((s) => [Number(s.t.toFixed(1)), s.rssKb]),
	};
}

/** CPU ticks of this process's waited-for children (cutime + cstime of /proc/self/stat). */
function childrenTicks() {
	const stat = readFileSync('/proc/self/stat', 'latin1');
	const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
	return Number(fields[13]) + Number(fields[14]); // fields 16 and 17
}

/** Runs a headless race of `updates` SGD updates; RSS every 250 ms; resolves with time and memory. */
function headlessRun(updates) {
	return new Promise((resolve, reject) => {
		const args = [cliPath, '--plain', '--optimizers', 'sgd', '--epochs', String(updates)];
		const started = performance.now();
		const ticks = childrenTicks();
		const child = spawn(process.execPath, args, {cwd: repoRoot, env: benchEnv(), stdio: ['ignore', 'pipe', 'pipe']});
		let output = '';
		child.stdout.on('data', (chunk) => (output += chunk));
		child.stderr.on('data', (chunk) => (output += chunk));
		const samples = [];
		const timer = setInterval(() => {
			const proc = readProc(child.pid);
			if (proc) samples.push({t: (performance.now() - started) / 1000, ...proc});
		}, 250);
		child.on('error', reject);
		child.on('exit', (code, signal) => {
			clearInterval(timer);
			const seconds = (performance.now() - started) / 1000;
			// The child has been waited for by now: its CPU time is in this process's cutime/cstime.
			const cpuSeconds = (childrenTicks() - ticks) / CLK_TCK;
			if (code !== 0) reject(new Error(`headless run exited with ${code ?? signal}:\n${output}`));
			else resolve({command: `node dist/cli.cjs ${args.slice(1).join(' ')}`, updates, seconds, cpuSeconds, samples, output});
		});
	});
}

async function soakHeadless({headlessUpdates, repeat}) {
	const half = Math.floor(headlessUpdates / 2);
	console.error(`headless: node dist/cli.cjs --plain --optimizers sgd --epochs ${headlessUpdates}, then --epochs ${half} for the first half's time, then --epochs 1 for the fixed start-up cost; each ${repeat} times, the fastest kept`);
	// Each run `repeat` times, keeping the fastest (least CPU): one run's JIT and the machine's
	// other work move a run's time by 10–30 %, more than the effect looked for.
	const best = async (updates) => {
		const runs = [];
		for (let i = 0; i < repeat; i++) runs.push(await headlessRun(updates));
		return runs.reduce((a, b) => (b.cpuSeconds < a.cpuSeconds ? b : a));
	};
	const full = await best(headlessUpdates);
	const firstHalf = await best(half);
	// The fixed cost (Node start, loading the data, the summary) lands in the first half's run:
	// measure it with a one-iteration race and take it out.
	const startup = await best(1);
	const refSeconds = full.seconds >= 45 ? MEMORY_REF_S : 1;
	const ref = full.samples.find((s) => s.t >= refSeconds) ?? full.samples.at(-1);
	const after = full.samples.filter((s) => s.t >= ref.t);
	const peakAfter = Math.max(...after.map((s) => s.rssKb));
	const hwm = Math.max(...full.samples.map((s) => s.hwmKb));
	// Rates per CPU second of the race process: other work on the machine changes wall times a
	// lot (runs of seconds), CPU times much less. Wall-time figures are printed too.
	const firstRate = half / (firstHalf.cpuSeconds - startup.cpuSeconds);
	const secondRate = (headlessUpdates - half) / (full.cpuSeconds - firstHalf.cpuSeconds);
	const firstWallRate = half / (firstHalf.seconds - startup.seconds);
	const secondWallRate = (headlessUpdates - half) / (full.seconds - firstHalf.seconds);
	const lossLine = full.output.split('\n').find((line) => line.trimStart().startsWith('loss'))?.trim();
	return {
		command: full.command,
		updates: headlessUpdates,
		repeat,
		seconds: full.seconds,
		updatesPerSecond: headlessUpdates / full.seconds,
		engineUpdatesPerSecond: headlessUpdates / (full.seconds - startup.seconds),
		halfSeconds: firstHalf.seconds,
		startupSeconds: startup.seconds,
		cpuSeconds: full.cpuSeconds,
		halfCpuSeconds: firstHalf.cpuSeconds,
		startupCpuSeconds: startup.cpuSeconds,
		firstHalfUpdatesPerCpuSecond: firstRate,
		secondHalfUpdatesPerCpuSecond: secondRate,
		firstHalfUpdatesPerSecond: firstWallRate,
		secondHalfUpdatesPerSecond: secondWallRate,
		noSlowdown: secondRate >= SLOWDOWN * firstRate,
		refSeconds: ref.t,
		rssRefKb: ref.rssKb,
		peakRssAfterRefKb: peakAfter,
		vmHwmKb: hwm,
		memoryRatio: peakAfter / ref.rssKb,
		memoryFlat: peakAfter <= FLAT * ref.rssKb,
		lossLine,
		rssSamplesKb: full.samples.map((s) => [Number(s.t.toFixed(2)), s.rssKb]),
	};
}

function report(live, headless) {
	const check = (ok) => (ok ? 'pass' : 'FAIL');
	console.log(`\n${machineLine()} (at the end)`);
	if (live) {
		console.log(`\nLive soak: ${live.command}  (${SOAK_COLS}×${ROWS} pty, NODE_ENV=production)`);
		console.log(`  screen: ${live.speedLine}`);
		console.log(
			formatTable([
				['minute', 'frames/s', 'KB/s', 'CPU %', 'ms/frame', 'RSS MB (max)', 'RSS MB (end)', 'iterations/s (4 racers)', 'per CPU s', 'upd/s shown (avg)'],
				...live.perMinute.map((m) => [
					m.minute, fixed(m.fps, 2), fixed(m.kbPerSecond, 1), fixed(m.cpuPercent, 1), fixed(m.cpuMsPerFrame, 2),
					mb(m.rssKbMax), mb(m.rssKbEnd), compact(m.updatesPerSecond), compact(m.updatesPerCpuSecond), compact(m.shownRate),
				]),
			]),
		);
		console.log(
			`  memory, peak: VmHWM at ${live.rssAt30T.toFixed(0)} s ${mb(live.vmHwmAt30Kb)} MB, at the end ${mb(live.vmHwmKb)} MB ` +
				`(× ${live.hwmRatio.toFixed(3)}, limit × ${FLAT})  ${check(live.hwmFlat)}`,
		);
		console.log(
			`  memory, trend: highest RSS in the minute after ${live.rssAt30T.toFixed(0)} s ${mb(live.firstMinuteMaxKb)} MB, in the last minute ${mb(live.lastMinuteMaxKb)} MB ` +
				`(× ${live.maxRatio.toFixed(3)}, limit × ${FLAT})  ${check(live.maxFlat)}`,
		);
		console.log(
			`  memory, RSS at ${live.rssAt30T.toFixed(0)} s ${mb(live.rssAt30Kb)} MB, highest RSS after it ${mb(live.peakRssAfter30Kb)} MB ` +
				`(× ${live.memoryRatio.toFixed(3)}, limit × ${FLAT})  ${check(live.memoryFlat)}  (one value against a peak: the GC's sawtooth decides)`,
		);
		console.log(
			`  speed: ${live.early.from.toFixed(0)}–${live.early.to.toFixed(0)} s ${fixed(live.early.fps, 2)} frames/s, ${compact(live.early.updatesPerSecond)} iterations/s; ` +
				`${live.late.from.toFixed(0)}–${live.late.to.toFixed(0)} s ${fixed(live.late.fps, 2)} frames/s, ${compact(live.late.updatesPerSecond)} iterations/s  ${check(live.noSlowdown)}`,
		);
		console.log(`  racers at the end: ${live.lastScreen.racers.map((r) => `${r.name} ${compact(r.iterations)} it`).join(', ')}; status "${live.lastScreen.status}"`);
		if (live.lastScreen.status !== 'running') console.log('  warning: the race was not running at the end');
	}
	if (headless) {
		console.log(`\nHeadless soak: ${headless.command}  (each run ${headless.repeat}×, the fastest kept)`);
		console.log(
			`  time ${headless.seconds.toFixed(2)} s wall, ${headless.cpuSeconds.toFixed(2)} s CPU (start-up ${headless.startupSeconds.toFixed(2)} s wall, ${headless.startupCpuSeconds.toFixed(2)} s CPU); ` +
				`${compact(headless.updatesPerSecond)} updates/s overall, ${compact(headless.engineUpdatesPerSecond)} without start-up`,
		);
		console.log(
			`  per CPU second: first half ${compact(headless.firstHalfUpdatesPerCpuSecond)} updates/s, second half ${compact(headless.secondHalfUpdatesPerCpuSecond)} updates/s  ${check(headless.noSlowdown)}` +
				`   (first half = a separate run of ${compact(headless.updates / 2)}: ${headless.halfSeconds.toFixed(2)} s wall, ${headless.halfCpuSeconds.toFixed(2)} s CPU, start-up taken out)`,
		);
		console.log(
			headless.secondHalfUpdatesPerSecond > 0
				? `  per wall second: first half ${compact(headless.firstHalfUpdatesPerSecond)} updates/s, second half ${compact(headless.secondHalfUpdatesPerSecond)} updates/s`
				: '  per wall second: not meaningful (the half run took longer than the full one: other work on the machine)',
		);
		console.log(
			`  memory: RSS at ${headless.refSeconds.toFixed(2)} s ${mb(headless.rssRefKb)} MB, peak after it ${mb(headless.peakRssAfterRefKb)} MB ` +
				`(× ${headless.memoryRatio.toFixed(3)}, limit × ${FLAT})  ${check(headless.memoryFlat)};  VmHWM ${mb(headless.vmHwmKb)} MB`,
		);
		console.log(`  result: ${headless.lossLine}`);
	}
}

export async function runSoak(argv) {
	const options = parseOptions(argv);
	ensureBuilt();
	const live = options.live ? await soakLive(options) : undefined;
	const headless = options.headless ? await soakHeadless(options) : undefined;
	if (options.json) console.log(JSON.stringify({live, headless}, null, 2));
	else report(live, headless);
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
	runSoak(process.argv.slice(2)).then(
		() => process.exit(0),
		(error) => {
			console.error(`bench:soak: ${error instanceof Error ? error.message : String(error)}`);
			process.exit(1);
		},
	);
}
