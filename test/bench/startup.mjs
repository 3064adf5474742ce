#!/usr/bin/env node
/**
 * Start-up benchmark (issue 9, "Fast start"): how long after exec the live screen's first full
 * frame reaches the terminal, and how long the headless book race (`gdrace --json`) takes as a
 * whole process, each next to bare `node -e 0` measured the same way in the same invocation.
 *
 *   npm run bench:startup                  (builds dist/ first)
 *   node test/bench/startup.mjs [--rounds 15] [--json] [--cli dist/cli.js] [--node PATH]
 *
 * `--node PATH` measures another Node binary (bare node, gdrace and the first frame all run on it;
 * the default is the Node running the benchmark). `--no-extra-ca-certs` drops NODE_EXTRA_CA_CERTS
 * from the environment: Node 20 (not 22 and later) reads and parses that certificate file before
 * any JavaScript runs, which doubles its bare start (about 60 against 30 ms for a system bundle).
 *
 * How it measures, interleaved round by round (so load changes hit every figure alike):
 *   - node: `node -e 0` spawned with a pipe, from spawn to exit;
 *   - headless: `node dist/cli.js --json` spawned with a pipe (output drained), from spawn to exit;
 *   - first frame: `node dist/cli.js` in a 100×30 node-pty with a user's environment, from
 *     spawn to the end of the first synchronized-output block (`ESC[?2026l`): the FrameWriter
 *     writes exactly one such block per frame, and its first one is a full repaint; then `q`.
 * Median and fastest of the rounds are printed with the load average. Goals (issue 9): first
 * frame ≤ 200 ms, headless ≤ 120 ms, on an idle machine.
 */
import {spawn} from 'node:child_process';
import {existsSync} from 'node:fs';
import {loadavg} from 'node:os';
import {resolve} from 'node:path';
import {fileURLToPath} from 'node:url';
import {spawn as spawnPty} from 'node-pty';
import {benchEnv, repoRoot} from './tui.mjs';

const SYNC_END = '\u001B[?2026l';
/** The goals of issue 9, ms. */
export const GOALS = {firstFrame: 200, headless: 120};

function option(name, fallback) {
	const at = process.argv.indexOf(name);
	return at === -1 ? fallback : process.argv[at + 1];
}

const rounds = Number(option('--rounds', '15'));
const cliPath = resolve(repoRoot, option('--cli', fileURLToPath(new URL('../../dist/cli.js', import.meta.url))));
const asJson = process.argv.includes('--json');
const nodePath = option('--node', process.execPath);
const dropExtraCa = process.argv.includes('--no-extra-ca-certs');
/** The environment of every measured process. */
const env = (extra = {}) => benchEnv(dropExtraCa ? {NODE_EXTRA_CA_CERTS: undefined, ...extra} : extra);

/** Milliseconds from spawn to exit of `command args` with piped, drained output. */
function wholeProcess(args) {
	return new Promise((done, fail) => {
		const start = performance.now();
		const child = spawn(nodePath, args, {cwd: repoRoot, env: env(), stdio: ['ignore', 'pipe', 'pipe']});
		child.stdout.resume();
		child.stderr.resume();
		child.on('error', fail);
		child.on('close', (code) => {
			const ms = performance.now() - start;
			if (code !== 0) fail(new Error(`${args.join(' ')} exited with ${code}`));
			else done(ms);
		});
	});
}

/** Milliseconds from spawn to the end of the first frame drawn in a 100×30 pty. */
function firstFrame(args) {
	return new Promise((done, fail) => {
		const start = performance.now();
		const pty = spawnPty(nodePath, args, {cols: 100, rows: 30, cwd: repoRoot, env: env({TERM: 'xterm-256color'}), name: 'xterm-256color'});
		let text = '';
		let ms;
		const timer = setTimeout(() => {
			pty.kill();
			fail(new Error('no frame within 10 s'));
		}, 10_000);
		pty.onData((data) => {
			if (ms !== undefined) return;
			text += data;
			if (text.includes(SYNC_END)) {
				ms = performance.now() - start;
				pty.write('q');
			}
		});
		pty.onExit(() => {
			clearTimeout(timer);
			if (ms === undefined) fail(new Error('exited before drawing a frame'));
			else done(ms);
		});
	});
}

function stats(values) {
	const sorted = [...values].sort((a, b) => a - b);
	const mid = sorted.length >> 1;
	const median = sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
	return {median: Math.round(median), min: Math.round(sorted[0]), max: Math.round(sorted.at(-1))};
}

async function main() {
	if (!existsSync(cliPath)) {
		console.error(`startup: ${cliPath} is missing; run \`npm run build\` first`);
		process.exit(1);
	}
	const version = await new Promise((done, fail) => {
		const child = spawn(nodePath, ['--version'], {stdio: ['ignore', 'pipe', 'inherit']});
		let text = '';
		child.stdout.on('data', (chunk) => (text += chunk));
		child.on('error', fail);
		child.on('close', () => done(text.trim()));
	});
	const load = loadavg().map((value) => value.toFixed(2)).join(' ');
	const results = {node: [], headless: [], firstFrame: []};
	// One warm-up round fills the file cache; it is not counted.
	for (let round = -1; round < rounds; round++) {
		const node = await wholeProcess(['-e', '0']);
		const headless = await wholeProcess([cliPath, '--json']);
		const frame = await firstFrame([cliPath]);
		if (round < 0) continue;
		results.node.push(node);
		results.headless.push(headless);
		results.firstFrame.push(frame);
	}
	const summary = {
		cli: cliPath,
		node: {path: nodePath, version},
		extraCaCerts: env().NODE_EXTRA_CA_CERTS ?? null,
		rounds,
		loadBefore: load,
		loadAfter: loadavg().map((value) => value.toFixed(2)).join(' '),
		bare: stats(results.node),
		headless: stats(results.headless),
		firstFrame: stats(results.firstFrame),
		goals: GOALS,
	};
	if (asJson) {
		console.log(JSON.stringify(summary));
		return;
	}
	console.log(`startup: node ${version}, ${rounds} rounds, load average ${summary.loadBefore} before, ${summary.loadAfter} after`);
	console.log('                              median    min    max   goal');
	const row = (label, s, goal) =>
		console.log(`${label.padEnd(28)} ${String(s.median).padStart(6)} ${String(s.min).padStart(6)} ${String(s.max).padStart(6)}   ${goal}`);
	if (summary.extraCaCerts !== null) console.log(`NODE_EXTRA_CA_CERTS=${summary.extraCaCerts} (Node 20 parses it at start; --no-extra-ca-certs drops it)`);
	row('node -e 0 (whole process)', summary.bare, '');
	row('gdrace --json (whole)', summary.headless, `≤ ${GOALS.headless}`);
	row('gdrace first frame (pty)', summary.firstFrame, `≤ ${GOALS.firstFrame}`);
}

await main();
