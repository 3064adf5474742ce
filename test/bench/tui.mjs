#!/usr/bin/env node
/**
 * End-to-end speed benchmark of the live screen (issue 3, "Speed"): runs the real CLI in a
 * 100×30 pseudo-terminal for a fixed time and prints frames/s, bytes/s, CPU % and peak RSS, next
 * to the naive Ink probe (`naive-probe.mjs`) measured the same way in the same invocation.
 *
 *   npm run bench:tui                                   (builds dist/ first)
 *   node test/bench/tui.mjs [--seconds 15] [--warmup 2] [--only gdrace|probe] [--json] [-- gdrace args…]
 *   node test/bench/tui.mjs --soak [soak options]       (same as test/bench/soak.mjs)
 *
 * How it measures, per program:
 *   - spawned in a node-pty of 100×30 with the environment a user's shell would give it (no CI*,
 *     no NODE_ENV=test/VITEST*, no color switches), TERM=xterm-256color and NODE_ENV=production;
 *   - its output is drained (and parsed by a headless xterm, only to read the screen at the end);
 *     bytes are counted as sent over the pty, frames as `ESC[?2026h` markers: gdrace's FrameWriter
 *     writes exactly one synchronized-output block per frame, and Ink 6.8 in interactive mode
 *     (a TTY, not in CI) wraps every frame it writes in the same markers (ink/build/ink.js,
 *     `throttledLog`), so both are counted the same way;
 *   - process CPU (utime + stime of every thread, /proc/<pid>/stat, in CLK_TCK ticks) and memory
 *     (/proc/<pid>/status VmRSS, VmHWM) are sampled every second;
 *   - after `--warmup` seconds the counters are taken, and again `--seconds` later: the figures
 *     are the differences over that window. Peak RSS is VmHWM at the end of the window.
 *
 * gdrace runs at default settings. The default race (5000 iterations at 256 it/s) lasts about
 * 19.5 s, longer than the default warm-up + window (17 s), so no flag is added; for a longer
 * window `--epochs` is raised so that the race still runs at its end (the chart's x axis spans
 * the epochs, so a huge --epochs would leave the plot nearly empty and flatter gdrace). The
 * header's status word is read at the end of the window to make sure the race was running.
 */
import {execFileSync, spawnSync} from 'node:child_process';
import {existsSync, readFileSync} from 'node:fs';
import {cpus, loadavg} from 'node:os';
import {fileURLToPath, pathToFileURL} from 'node:url';
import {spawn as spawnPty} from 'node-pty';
// @xterm/headless is CommonJS: its classes come off the default export.
import xterm from '@xterm/headless';

const {Terminal} = xterm;

/** The repository root (this file lives in `<root>/test/bench/`). */
export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
export const cliPath = fileURLToPath(new URL('../../dist/cli.cjs', import.meta.url));
export const probePath = fileURLToPath(new URL('./naive-probe.mjs', import.meta.url));

export const COLS = 100;
export const ROWS = 30;
/** The goals of issue 3. */
export const GOALS = {fps: 30, cpuRatio: 0.4, kbPerSecond: 40};
/** gdrace's defaults the benchmark relies on (src/cli/config.ts, src/engine/scheduler.ts). */
export const DEFAULT_EPOCHS = 5000;
export const DEFAULT_SPEED = 256;
/** MAX_SPEED of src/engine/scheduler.ts: the scheduler clamps any faster --speed to it. */
export const MAX_SPEED = 2 ** 24;

const SYNC_BEGIN = Buffer.from('\u001B[?2026h', 'latin1');

/** Clock ticks per second of /proc/<pid>/stat's utime and stime. */
export const CLK_TCK = (() => {
	try {
		const value = Number(execFileSync('getconf', ['CLK_TCK'], {encoding: 'utf8'}).trim());
		return Number.isFinite(value) && value > 0 ? value : 100;
	} catch {
		return 100;
	}
})();

/**
 * The environment of a user's interactive shell (as test/e2e/pty.ts's `terminalEnv`): the
 * caller's variables minus what changes how terminal programs behave (`CI`, `CI_*` and
 * `CONTINUOUS_INTEGRATION` put Ink in its non-interactive mode), TERM=xterm-256color,
 * NODE_ENV=production, then `extra` (`undefined` removes one).
 */
export function benchEnv(extra = {}) {
	const dropped = new Set([
		'CI', 'CONTINUOUS_INTEGRATION', 'NODE_ENV', 'TEST', 'VITEST', 'MODE', 'FORCE_TTY', 'COLOR',
		'NO_COLOR', 'FORCE_COLOR', 'COLORTERM', 'COLUMNS', 'LINES',
	]);
	/** @type {Record<string, string>} */
	const env = {};
	for (const [name, value] of Object.entries(process.env)) {
		if (value === undefined || dropped.has(name) || name.startsWith('CI_') || name.startsWith('VITEST_')) continue;
		env[name] = value;
	}
	env.TERM = 'xterm-256color';
	env.NODE_ENV = 'production';
	for (const [name, value] of Object.entries(extra)) {
		if (value === undefined) delete env[name];
		else env[name] = value;
	}
	return env;
}

/**
 * CPU ticks (utime + stime) and memory of a live process, or null once it is gone.
 * @param {number} pid
 * @returns {{ticks: number, rssKb: number, hwmKb: number} | null}
 */
export function readProc(pid) {
	try {
		const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
		// Fields after the command name (which may hold spaces) start at field 3.
		const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
		const ticks = Number(fields[11]) + Number(fields[12]); // fields 14 and 15: utime, stime
		const status = readFileSync(`/proc/${pid}/status`, 'latin1');
		const kb = (name) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? Number.NaN);
		return {ticks, rssKb: kb('VmRSS'), hwmKb: kb('VmHWM')};
	} catch {
		return null;
	}
}

/** Counts occurrences of `needle` in a byte stream delivered in chunks (markers may be split). */
function markerCounter(needle) {
	let tail = Buffer.alloc(0);
	let count = 0;
	return {
		feed(chunk) {
			const data = tail.length === 0 ? chunk : Buffer.concat([tail, chunk]);
			let at = data.indexOf(needle);
			while (at !== -1) {
				count++;
				at = data.indexOf(needle, at + needle.length);
			}
			// Keep fewer bytes than a whole marker, so none is counted twice.
			tail = Buffer.from(data.subarray(Math.max(0, data.length - (needle.length - 1))));
		},
		get count() {
			return count;
		},
	};
}

/**
 * Starts `command args` in a COLS×ROWS pseudo-terminal with `benchEnv()`, counting bytes and
 * frames; `screen()` returns the visible rows (a headless xterm parses the output).
 */
export function startSession(command, args, {cols = COLS, rows = ROWS, env = {}} = {}) {
	const term = new Terminal({cols, rows, scrollback: 0, allowProposedApi: true});
	const frames = markerCounter(SYNC_BEGIN);
	let bytes = 0;
	/** @type {{exitCode: number, signal?: number} | undefined} */
	let exit;
	const pty = spawnPty(command, args, {name: 'xterm-256color', cols, rows, cwd: repoRoot, env: benchEnv(env), encoding: null});
	const exited = new Promise((resolve) => {
		pty.onExit((status) => {
			exit = status;
			resolve(status);
		});
	});
	pty.onData((data) => {
		const chunk = typeof data === 'string' ? Buffer.from(data) : data;
		bytes += chunk.length;
		frames.feed(chunk);
		term.write(chunk);
	});
	const settled = () => new Promise((resolve) => term.write('', resolve));
	return {
		pid: pty.pid,
		get bytes() {
			return bytes;
		},
		get frames() {
			return frames.count;
		},
		get exit() {
			return exit;
		},
		exited,
		/** The visible rows, trailing spaces trimmed, once all output so far is parsed. */
		async screen() {
			await settled();
			const buffer = term.buffer.active;
			return Array.from({length: term.rows}, (_, row) => buffer.getLine(buffer.baseY + row)?.translateToString(true) ?? '');
		},
		write(keys) {
			if (exit === undefined) pty.write(keys);
		},
		/** SIGTERM, then SIGKILL to the process group after `graceMs`; resolves when it has ended. */
		async stop(graceMs = 3000) {
			if (exit === undefined) {
				try {
					process.kill(pty.pid, 'SIGTERM');
				} catch {
					// Already gone.
				}
				const timer = setTimeout(() => {
					for (const target of [-pty.pid, pty.pid]) {
						try {
							process.kill(target, 'SIGKILL');
						} catch {
							// Already gone.
						}
					}
				}, graceMs);
				await exited;
				clearTimeout(timer);
			}
			term.dispose();
		},
	};
}

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** A snapshot of a session's counters and its process. */
export function sample(session) {
	const proc = readProc(session.pid);
	return {time: performance.now(), bytes: session.bytes, frames: session.frames, ...(proc ?? {ticks: Number.NaN, rssKb: Number.NaN, hwmKb: Number.NaN})};
}

/** Figures between two samples. */
export function between(a, b) {
	const seconds = (b.time - a.time) / 1000;
	const frames = b.frames - a.frames;
	const cpuMs = ((b.ticks - a.ticks) / CLK_TCK) * 1000;
	return {
		seconds,
		frames,
		fps: frames / seconds,
		kbPerSecond: (b.bytes - a.bytes) / 1000 / seconds,
		bytesPerFrame: frames > 0 ? (b.bytes - a.bytes) / frames : Number.NaN,
		cpuPercent: (cpuMs / (seconds * 1000)) * 100,
		cpuMsPerFrame: frames > 0 ? cpuMs / frames : Number.NaN,
	};
}

/** Runs one program for warm-up + window and returns its figures. */
async function measure(name, command, args, {warmup, seconds, press}) {
	const session = startSession(command, args);
	// Keys typed a second into the warm-up (`--press m`: the map in place of the chart).
	if (press !== undefined) setTimeout(() => session.write(press), Math.min(1000, (warmup * 1000) / 2));
	const rss = [];
	const tick = setInterval(() => {
		const proc = readProc(session.pid);
		if (proc) rss.push(proc.rssKb);
	}, 1000);
	try {
		await Promise.race([sleep(warmup * 1000), session.exited]);
		if (session.exit) throw new Error(`${name} ended during the warm-up (${JSON.stringify(session.exit)}):\n${(await session.screen()).join('\n')}`);
		const start = sample(session);
		await Promise.race([sleep(seconds * 1000), session.exited]);
		const end = sample(session);
		if (session.exit) throw new Error(`${name} ended during the measurement (${JSON.stringify(session.exit)})`);
		const screen = await session.screen();
		return {name, command: [command, ...args].join(' '), ...between(start, end), rssKb: end.rssKb, peakRssKb: end.hwmKb, rssSamplesKb: rss, screen};
	} finally {
		clearInterval(tick);
		await session.stop();
	}
}

function parseOptions(argv) {
	const options = {seconds: 15, warmup: 2, only: undefined, json: false, soak: false, press: undefined, gdraceArgs: /** @type {string[]} */ ([])};
	const dash = argv.indexOf('--');
	const own = dash === -1 ? argv : argv.slice(0, dash);
	if (dash !== -1) options.gdraceArgs = argv.slice(dash + 1);
	for (let i = 0; i < own.length; i++) {
		const flag = own[i];
		const value = () => {
			const next = own[++i];
			if (next === undefined) throw new Error(`${flag} needs a value`);
			return next;
		};
		if (flag === '--seconds') options.seconds = Number(value());
		else if (flag === '--warmup') options.warmup = Number(value());
		else if (flag === '--only') options.only = value();
		else if (flag === '--json') options.json = true;
		else if (flag === '--press') options.press = value();
		else if (flag === '--soak') options.soak = true;
		else if (flag === '--help' || flag === '-h') {
			console.log(
				'Usage: node test/bench/tui.mjs [--seconds N] [--warmup S] [--only gdrace|probe] [--press KEYS] [--json] [-- gdrace args]\n' +
					'       node test/bench/tui.mjs --soak [soak options, see test/bench/soak.mjs --help]',
			);
			process.exit(0);
		} else throw new Error(`unknown option ${flag}`);
	}
	if (!(options.seconds > 0) || !(options.warmup >= 0)) throw new Error('--seconds must be > 0 and --warmup >= 0');
	if (options.only !== undefined && !['gdrace', 'probe'].includes(options.only)) throw new Error('--only takes gdrace or probe');
	return options;
}

/** The value of `--flag` in an argument list (last one wins), or undefined. */
function flagValue(args, flag) {
	let found;
	for (let i = 0; i < args.length; i++) {
		if (args[i] === flag) found = args[i + 1];
		else if (args[i]?.startsWith(`${flag}=`)) found = args[i].slice(flag.length + 1);
	}
	return found;
}

/** gdrace's arguments: the user's, plus --epochs when the default race would end inside the window. */
export function gdraceArgsFor(extra, totalSeconds) {
	if (flagValue(extra, '--epochs') !== undefined) return extra;
	const speed = Math.min(MAX_SPEED, Number(flagValue(extra, '--speed') ?? DEFAULT_SPEED));
	// 2 s of margin: the race starts after Node and Ink have started (about 0.5 s here).
	const needed = speed * (totalSeconds + 2);
	return needed <= DEFAULT_EPOCHS ? extra : [...extra, '--epochs', String(Math.ceil(needed / 1000) * 1000)];
}

export function ensureBuilt() {
	if (existsSync(cliPath)) return;
	console.error('dist/cli.cjs is missing: running `npm run build`…');
	const result = spawnSync('npm', ['run', 'build', '--silent'], {cwd: repoRoot, stdio: 'inherit'});
	if (result.status !== 0) throw new Error('npm run build failed');
}

/** Node version, CPU count and load average: other work on the machine distorts every figure. */
export function machineLine() {
	return `node ${process.version}, ${cpus().length} CPUs, load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}`;
}

const fixed = (value, digits) => (Number.isFinite(value) ? value.toFixed(digits) : '—');

function table(results) {
	const rows = [
		['', 'frames/s', 'KB/s', 'B/frame', 'CPU % (1 core)', 'CPU ms/frame', 'RSS MB (end)', 'peak RSS MB'],
		...results.map((r) => [
			r.name,
			fixed(r.fps, 1),
			fixed(r.kbPerSecond, 1),
			fixed(r.bytesPerFrame, 0),
			fixed(r.cpuPercent, 1),
			fixed(r.cpuMsPerFrame, 2),
			fixed(r.rssKb / 1024, 1),
			fixed(r.peakRssKb / 1024, 1),
		]),
	];
	const widths = rows[0].map((_, c) => Math.max(...rows.map((row) => row[c].length)));
	return rows.map((row) => row.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('  ')).join('\n');
}

async function main(argv) {
	if (argv.includes('--soak')) {
		const {runSoak} = await import('./soak.mjs');
		await runSoak(argv.filter((arg) => arg !== '--soak'));
		return;
	}
	const options = parseOptions(argv);
	ensureBuilt();
	const window = {warmup: options.warmup, seconds: options.seconds, press: options.press};
	const gdraceArgs = gdraceArgsFor(options.gdraceArgs, options.warmup + options.seconds);
	const node = process.execPath;
	const results = [];
	console.error(
		`Measuring in a ${COLS}×${ROWS} pty, NODE_ENV=production, ${options.warmup} s warm-up + ${options.seconds} s window, ` +
			`CLK_TCK ${CLK_TCK}, node ${process.version}…`,
	);
	if (options.only !== 'gdrace') {
		console.error('  naive Ink probe: node test/bench/naive-probe.mjs');
		results.push(await measure('naive Ink probe', node, [probePath], {...window, press: undefined}));
	}
	if (options.only !== 'probe') {
		console.error(`  gdrace: node dist/cli.cjs ${gdraceArgs.join(' ')}`);
		results.push(await measure('gdrace', node, [cliPath, ...gdraceArgs], window));
	}

	const probe = results.find((r) => r.name === 'naive Ink probe');
	const gdrace = results.find((r) => r.name === 'gdrace');
	const status = gdrace ? (gdrace.screen[0] ?? '').trim().split(/\s+/).at(-1) : undefined;
	const ratio = probe && gdrace ? gdrace.cpuMsPerFrame / probe.cpuMsPerFrame : Number.NaN;

	if (options.json) {
		console.log(JSON.stringify({cols: COLS, rows: ROWS, clkTck: CLK_TCK, node: process.version, ...window, gdraceArgs, results, ratio, gdraceStatusAtEnd: status}, null, 2));
		return;
	}
	console.log(`\ngdrace live screen vs naive Ink, ${COLS}×${ROWS} pty, NODE_ENV=production, ${options.seconds} s after ${options.warmup} s warm-up`);
	console.log(`${machineLine()}\n`);
	console.log(table(results));
	if (gdrace) {
		console.log(`\ngdrace command: node dist/cli.cjs ${gdraceArgs.join(' ')}  (race status at the end of the window: ${status})`);
		const check = (ok) => (ok ? 'pass' : 'FAIL');
		console.log('\nGoals (issue 3):');
		// A window of s seconds counts whole frames: at exactly 30 frames/s it holds 30·s ± 1 of them
		// depending on where the window falls, so one frame short is still 30 frames/s.
		const fpsOk = gdrace.frames + 1 >= GOALS.fps * gdrace.seconds;
		console.log(`  frames/s  >= ${GOALS.fps}        ${fixed(gdrace.fps, 2).padStart(8)}   ${check(fpsOk)}   (${gdrace.frames} frames in ${fixed(gdrace.seconds, 2)} s; ±1 frame is the window's edge)`);
		if (probe) {
			console.log(
				`  CPU/frame <= ${GOALS.cpuRatio} × probe   ${fixed(ratio, 3).padStart(8)}   ${check(ratio <= GOALS.cpuRatio)}` +
					`   (${fixed(gdrace.cpuMsPerFrame, 2)} ms vs ${fixed(probe.cpuMsPerFrame, 2)} ms)`,
			);
		}
		console.log(`  KB/s      <= ${GOALS.kbPerSecond}        ${fixed(gdrace.kbPerSecond, 2).padStart(8)}   ${check(gdrace.kbPerSecond <= GOALS.kbPerSecond)}`);
		if (status !== 'running') console.log(`  warning: the race was not running at the end of the window (status "${status}")`);
	}
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
	main(process.argv.slice(2)).then(
		() => process.exit(0),
		(error) => {
			console.error(`bench:tui: ${error instanceof Error ? error.message : String(error)}`);
			process.exit(1);
		},
	);
}
