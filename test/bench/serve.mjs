#!/usr/bin/env node
/**
 * `gdrace serve` under 1, 4 and 16 viewers (issue 9, "Benchmarks"): server CPU %, peak RSS and
 * frames/s per viewer, each viewer an ssh2 client with a 100×30 pty on 127.0.0.1; first with every
 * viewer racing its own race, then `--shared` (one race, presented on the server's own 100×30
 * node-pty terminal, which is one more screen drawn).
 *
 *   npm run bench:serve                    (builds dist/ first)
 *   node test/bench/serve.mjs [--seconds 10] [--viewers 1,4,16] [--modes independent,shared,greedy] [--greedy 1,3,6]
 *
 * Per viewer count: a fresh server (`--epochs 100000000`, so every race runs for the whole
 * window), the viewers connect, after 2 s of warm-up the server's CPU ticks (/proc/<pid>/stat)
 * and each viewer's frame count (ESC[?2026h markers) are read, and again `--seconds` later.
 *
 * Mode `greedy` (--greedy 1,3,6): one calm viewer and that many greedy ones, who press `+` to the
 * top speed (each racing their own race): the calm viewer's frames/s is what the engine-time
 * governor (src/engine/governor.ts) keeps at 30.
 */
import {spawn} from 'node:child_process';
import {readFileSync} from 'node:fs';
import {loadavg, tmpdir} from 'node:os';
import {join} from 'node:path';
import {spawn as spawnPty} from 'node-pty';
import ssh2 from 'ssh2';
import {CLK_TCK, benchEnv, cliPath, repoRoot} from './tui.mjs';

function option(name, fallback) {
	const at = process.argv.indexOf(name);
	return at === -1 ? fallback : process.argv[at + 1];
}
const seconds = Number(option('--seconds', '10'));
const counts = option('--viewers', '1,4,16').split(',').map(Number);
const modes = option('--modes', 'independent,shared,greedy').split(',');
const greedyCounts = option('--greedy', '1,3,6').split(',').map(Number);
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

function cpuTicks(pid) {
	const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
	return Number(fields[11]) + Number(fields[12]);
}
function peakRssMb(pid) {
	return Number(/VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))[1]) / 1024;
}

/** The server: a plain child, or with --shared in a 100×30 pty (its screen's output read and dropped). */
function startServer(viewers, shared) {
	const args = [cliPath, 'serve', '--port', '0', '--host-key', join(tmpdir(), 'gdrace-bench-host-key'), '--max-sessions', String(viewers), '--epochs', '100000000'];
	const server = {out: '', pid: 0, stop: () => Promise.resolve()};
	if (shared) {
		const pty = spawnPty(process.execPath, [...args, '--shared'], {name: 'xterm-256color', cols: 100, rows: 30, cwd: repoRoot, env: benchEnv(), encoding: null});
		const exited = new Promise((resolve) => pty.onExit(resolve));
		pty.onData((data) => {
			if (server.out.length < 4096) server.out += data.toString('latin1');
		});
		server.pid = pty.pid;
		server.stop = () => {
			pty.kill('SIGTERM');
			return exited;
		};
		return server;
	}
	const child = spawn(process.execPath, args, {env: benchEnv(), stdio: ['ignore', 'pipe', 'ignore']});
	child.stdout.on('data', (data) => (server.out += data));
	const exited = new Promise((resolve) => child.on('exit', resolve));
	server.pid = child.pid;
	server.stop = () => {
		child.kill('SIGTERM');
		return exited;
	};
	return server;
}

async function run(viewers, shared, greedy = 0) {
	const server = startServer(viewers, shared);
	const child = {pid: server.pid};
	for (let i = 0; i < 300 && !/watch with/.test(server.out); i++) await sleep(100);
	const port = Number(/127\.0\.0\.1:(\d+)/.exec(server.out)?.[1]);
	const frames = Array(viewers).fill(0);
	const clients = [];
	const streams = [];
	await Promise.all(
		Array.from({length: viewers}, (_, index) =>
			new Promise((resolve, reject) => {
				const client = new ssh2.Client();
				clients.push(client);
				client
					.on('ready', () =>
						client.shell({cols: 100, rows: 30, term: 'xterm-256color'}, (error, stream) => {
							if (error) return reject(error);
							streams[index] = stream;
							stream.on('data', (data) => (frames[index] += data.toString('latin1').split('\u001B[?2026h').length - 1));
							resolve();
						}),
					)
					.on('error', reject)
					.connect({host: '127.0.0.1', port, username: 'bench', readyTimeout: 30_000});
			}),
		),
	);
	// The greedy viewers (all but the first) press + to the top speed.
	for (let index = 1; index <= greedy; index++) streams[index].write('+'.repeat(20));
	await sleep(2000);
	const cpu0 = cpuTicks(child.pid);
	const frames0 = [...frames];
	await sleep(seconds * 1000);
	const cpu1 = cpuTicks(child.pid);
	const fps = frames.map((count, index) => (count - frames0[index]) / seconds);
	const result = {
		mode: greedy > 0 ? 'greedy' : shared ? 'shared' : 'independent',
		viewers,
		...(greedy > 0 ? {greedy, calmFps: fps[0].toFixed(1)} : {}),
		serverCpuPercent: Math.round(((cpu1 - cpu0) / CLK_TCK / seconds) * 100),
		peakRssMb: Math.round(peakRssMb(child.pid)),
		fpsMin: Math.min(...fps).toFixed(1),
		fpsMedian: [...fps].sort((a, b) => a - b)[fps.length >> 1].toFixed(1),
	};
	for (const client of clients) client.end();
	await server.stop();
	return result;
}

console.log(`serve: ${seconds} s per run, load average ${loadavg().map((v) => v.toFixed(2)).join(' ')}`);
for (const mode of modes) {
	if (mode === 'greedy') for (const greedy of greedyCounts) console.log(JSON.stringify(await run(greedy + 1, false, greedy)));
	else for (const viewers of counts) console.log(JSON.stringify(await run(viewers, mode === 'shared')));
}
