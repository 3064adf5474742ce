#!/usr/bin/env node
/**
 * Start-up benchmark (issue 9, "Fast start"): how long after exec the live screen's first full
 * frame reaches the terminal, and how long the headless book race (`gdrace --json`) takes as a
 * whole process, each next to bare `node -e 0` measured the same way in the same invocation.
 *
 *   npm run bench:startup                  (builds dist/ first)
 *   node test/bench/startup.mjs [--rounds 15] [--json] [--cli dist/cli.cjs]… [--node PATH]…
 *
 * `--node PATH` measures another Node binary (bare node, gdrace and the first frame all run on it;
 * the default is the Node running the benchmark). `--cli` and `--node` may be given several times:
 * every Node with every build, interleaved in each round, so that a before/after or a Node
 * against Node comparison sees the same machine. `--no-extra-ca-certs` drops NODE_EXTRA_CA_CERTS
 * from the environment: Node 20 (not 22 and later) reads and parses that certificate file before
 * any JavaScript runs, which doubles its bare start (about 60 against 30 ms for a system bundle).
 *
 * How it measures, interleaved round by round (so load changes hit every figure alike):
 *   - node: `node -e 0` spawned with a pipe, from spawn to exit;
 *   - headless: `node dist/cli.cjs --json` spawned with a pipe (output drained), from spawn to exit,
 *     each build with its own headless code cache (XDG_CACHE_HOME in a temporary directory);
 *   - first frame: `node dist/cli.cjs` in a 100×30 node-pty with a user's environment, from
 *     spawn to the end of the first synchronized-output block (`ESC[?2026l`): the FrameWriter
 *     writes exactly one such block per frame, and its first one is a full repaint; then `q`.
 * Each build's `--json` comes right after a bare node run on its Node, and with several builds or
 * Nodes each round starts at the next one (a rotation): measured after another build's live screen
 * instead, `--json` took 15 ms longer (even after a pause of 200 ms), and a fixed order handed
 * that to every build but the first. Median and fastest of the rounds are printed with the load
 * average. Goals (issue 9): first frame ≤ 200 ms, headless ≤ 120 ms, on an idle machine.
 */
import {spawn} from 'node:child_process';
import {existsSync, mkdtempSync, rmSync} from 'node:fs';
import {loadavg, tmpdir} from 'node:os';
import {join, relative, resolve} from 'node:path';
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

/** Every value of a repeatable option, or `[fallback]`. */
function options(name, fallback) {
	const values = process.argv.flatMap((arg, at) => (arg === name && at + 1 < process.argv.length ? [process.argv[at + 1]] : []));
	return values.length > 0 ? values : [fallback];
}

const rounds = Number(option('--rounds', '15'));
const cliPaths = options('--cli', fileURLToPath(new URL('../../dist/cli.cjs', import.meta.url))).map((path) => resolve(repoRoot, path));
const asJson = process.argv.includes('--json');
const nodePaths = options('--node', process.execPath);
const dropExtraCa = process.argv.includes('--no-extra-ca-certs');
/** The environment of every measured process. */
const env = (extra = {}) => benchEnv(dropExtraCa ? {NODE_EXTRA_CA_CERTS: undefined, ...extra} : extra);

/** Milliseconds from spawn to exit of `command args` with piped, drained output (`extra` over the environment). */
function wholeProcess(nodePath, args, extra = {}) {
	return new Promise((done, fail) => {
		const start = performance.now();
		const child = spawn(nodePath, args, {cwd: repoRoot, env: env(extra), stdio: ['ignore', 'pipe', 'pipe']});
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

/** Milliseconds from spawn to the end of the first frame drawn in a 100×30 pty (`extra` over the environment). */
function firstFrame(nodePath, args, extra = {}) {
	return new Promise((done, fail) => {
		const start = performance.now();
		const pty = spawnPty(nodePath, args, {cols: 100, rows: 30, cwd: repoRoot, env: env({TERM: 'xterm-256color', ...extra}), name: 'xterm-256color'});
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

/** `node --version` of a binary. */
function nodeVersion(nodePath) {
	return new Promise((done, fail) => {
		const child = spawn(nodePath, ['--version'], {stdio: ['ignore', 'pipe', 'inherit']});
		let text = '';
		child.stdout.on('data', (chunk) => (text += chunk));
		child.on('error', fail);
		child.on('close', () => done(text.trim()));
	});
}

async function main() {
	for (const cliPath of cliPaths) {
		if (!existsSync(cliPath)) {
			console.error(`startup: ${cliPath} is missing; run \`npm run build\` first`);
			process.exit(1);
		}
	}
	const nodes = [];
	for (const path of nodePaths) nodes.push({path, version: await nodeVersion(path), bare: []});
	// Each build keeps its headless code cache in a directory of its own: a build removes other
	// builds' caches from a shared one, so interleaved builds would each compile afresh every round.
	const caches = mkdtempSync(join(tmpdir(), 'gdrace-startup-'));
	process.on('exit', () => rmSync(caches, {recursive: true, force: true}));
	const setups = nodes.flatMap((node) => cliPaths.map((cli, index) => ({node, cli, headless: [], firstFrame: [], cache: {XDG_CACHE_HOME: join(caches, String(index))}})));
	const load = loadavg().map((value) => value.toFixed(2)).join(' ');
	// One warm-up round fills the file cache (and Node's compile cache); it is not counted.
	for (let round = -1; round < rounds; round++) {
		const start = (round + setups.length) % setups.length;
		for (const setup of [...setups.slice(start), ...setups.slice(0, start)]) {
			const bare = await wholeProcess(setup.node.path, ['-e', '0']);
			if (round >= 0) setup.node.bare.push(bare);
			const headless = await wholeProcess(setup.node.path, [setup.cli, '--json'], setup.cache);
			const frame = await firstFrame(setup.node.path, [setup.cli], setup.cache);
			if (round < 0) continue;
			setup.headless.push(headless);
			setup.firstFrame.push(frame);
		}
	}
	const summary = {
		rounds,
		extraCaCerts: env().NODE_EXTRA_CA_CERTS ?? null,
		loadBefore: load,
		loadAfter: loadavg().map((value) => value.toFixed(2)).join(' '),
		goals: GOALS,
		setups: setups.map(({node, cli, headless, firstFrame: frames}) => ({
			node: {path: node.path, version: node.version},
			cli: relative(repoRoot, cli),
			bare: stats(node.bare),
			headless: stats(headless),
			firstFrame: stats(frames),
		})),
	};
	if (asJson) {
		console.log(JSON.stringify(summary));
		return;
	}
	console.log(`startup: ${rounds} rounds, load average ${summary.loadBefore} before, ${summary.loadAfter} after`);
	if (summary.extraCaCerts !== null) console.log(`NODE_EXTRA_CA_CERTS=${summary.extraCaCerts} (Node 20 parses it at start; --no-extra-ca-certs drops it)`);
	const row = (label, s, goal) =>
		console.log(`  ${label.padEnd(28)} ${String(s.median).padStart(6)} ${String(s.min).padStart(6)} ${String(s.max).padStart(6)}   ${goal}`);
	for (const setup of summary.setups) {
		console.log(`node ${setup.node.version}, ${setup.cli}            median    min    max   goal`);
		row('node -e 0 (whole process)', setup.bare, '');
		row('gdrace --json (whole)', setup.headless, `≤ ${GOALS.headless}`);
		row('gdrace first frame (pty)', setup.firstFrame, `≤ ${GOALS.firstFrame}`);
	}
}

await main();
