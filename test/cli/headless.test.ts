/**
 * The headless runner in-process, with fake streams and a fake signal source: a signal or a write
 * error is injected right after the runner's first slice of work (an async function runs
 * synchronously up to its first await), so no test depends on timing.
 */
import {EventEmitter} from 'node:events';
import {closeSync, constants, existsSync, mkdtempSync, openSync, readFileSync, readSync, rmSync, writeFileSync} from 'node:fs';
import {execFileSync} from 'node:child_process';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {Writable} from 'node:stream';
import {afterAll, describe, expect, it} from 'vitest';
import {parseArgs} from '../../src/cli/args.js';
import type {Config} from '../../src/cli/config.js';
import {loadConfigDataset, toConfig} from '../../src/cli/config.js';
import {temporaryPath} from '../../src/cli/export.js';
import {runHeadless} from '../../src/cli/headless.js';
import {Output} from '../../src/cli/output.js';
import {EngineGovernor} from '../../src/engine/governor.js';

const scratch = mkdtempSync(join(tmpdir(), 'gdrace-headless-'));
afterAll(() => rmSync(scratch, {recursive: true, force: true}));

function configOf(argv: readonly string[]): Config {
	const parsed = parseArgs(argv);
	if (parsed.kind !== 'run') throw new Error(`bad test arguments: ${argv.join(' ')}`);
	return toConfig(parsed.args, {stdoutIsTTY: false, stdinIsTTY: false, env: {}});
}

/** A stream that keeps what is written, or fails every write with `failWith`. */
function sink(failWith?: string): Writable & {text: () => string} {
	const chunks: string[] = [];
	const stream = new Writable({
		write(chunk: Buffer, _encoding, callback) {
			if (failWith === undefined) {
				chunks.push(chunk.toString());
				callback();
			} else {
				callback(Object.assign(new Error(`write ${failWith}`), {code: failWith}));
			}
		},
	});
	return Object.assign(stream, {text: () => chunks.join('')});
}

describe('runHeadless', () => {
	it('prints the summary and returns 0 at the end of a race', async () => {
		const config = configOf(['--plain', '--epochs', '50']);
		const stdout = sink();
		const stderr = sink();
		const code = await runHeadless(config, loadConfigDataset(config), {stdout, stderr, signals: new EventEmitter()});
		expect(code).toBe(0);
		expect(stdout.text()).toMatch(/^iterations +50 +50 +50 +50$/m);
		expect(stderr.text()).toBe('');
	});

	it('with a governor (serve\'s viewers without a pty) races at a live session\'s pace in its seat, to the same racers', async () => {
		const config = configOf(['--json', '--epochs', '3000']);
		const governor = new EngineGovernor();
		// Seated once while it races (counted as it sits down), standing when done.
		let seated = 0;
		const join = governor.join.bind(governor);
		governor.join = () => {
			seated++;
			return join();
		};
		const paced = sink();
		expect(await runHeadless(config, loadConfigDataset(config), {stdout: paced, stderr: sink(), signals: new EventEmitter(), governor})).toBe(0);
		expect(seated).toBe(1);
		expect([governor.sessions, governor.busy]).toEqual([0, 0]);
		const straight = sink();
		await runHeadless(config, loadConfigDataset(config), {stdout: straight, stderr: sink(), signals: new EventEmitter()});
		type Json = {racers: {id: string; iterations: number; weights: number[]; bias: number; loss: number}[]};
		const racers = (text: string) => (JSON.parse(text) as Json).racers.map(({id, iterations, weights, bias, loss}) => ({id, iterations, weights, bias, loss}));
		expect(racers(paced.text())).toEqual(racers(straight.text()));
	});

	it('with a governor, a signal still stops the race and the seat is left', async () => {
		const config = configOf(['--json', '--epochs', '100000000']);
		const governor = new EngineGovernor();
		const signals = new EventEmitter();
		const running = runHeadless(config, loadConfigDataset(config), {stdout: sink(), stderr: sink(), signals, governor});
		signals.emit('SIGHUP');
		expect(await running).toBe(129);
		expect([governor.sessions, governor.busy]).toEqual([0, 0]);
	});

	it('stops at a signal, still prints the JSON (marked) and returns 128 + n', async () => {
		const config = configOf(['--json', '--epochs', '100000000', '--optimizers', 'sgd,gd']);
		const stdout = sink();
		const signals = new EventEmitter();
		const running = runHeadless(config, loadConfigDataset(config), {stdout, stderr: sink(), signals});
		signals.emit('SIGTERM');
		expect(await running).toBe(143);
		const json = JSON.parse(stdout.text()) as {stoppedBy: string; racers: {iterations: number; status: string}[]};
		expect(json.stoppedBy).toBe('SIGTERM');
		for (const racer of json.racers) {
			expect(racer.iterations).toBeGreaterThan(0);
			expect(racer.iterations).toBeLessThan(100000000);
		}
		expect(signals.listenerCount('SIGTERM')).toBe(0);
	});

	it('runs the racers level: stopped by a signal, every racer is at the same iteration as a --json run to it (issue 10 item 20)', async () => {
		for (const clock of ['iteration', 'samples']) {
			const config = configOf(['--json', '--epochs', '1e12', '--clock', clock]);
			const stdout = sink();
			const signals = new EventEmitter();
			const running = runHeadless(config, loadConfigDataset(config), {stdout, stderr: sink(), signals});
			signals.emit('SIGINT'); // handled after the first slice of work, however much that was
			expect(await running).toBe(130);
			type Json = {racers: {iterations: number; samples: number; loss: number; weights: number[]}[]};
			const stopped = JSON.parse(stdout.text()) as Json;
			const positions = stopped.racers.map((r) => (clock === 'iteration' ? r.iterations : r.samples / 506));
			const top = Math.max(...positions);
			expect(top).toBeGreaterThan(0);
			for (const position of positions) expect(top - position, clock).toBeLessThan(1);
			// The whole passes every racer reached: a --json run to there gives the same racers (gd, sgd exactly).
			if (clock === 'iteration') {
				const level = Math.min(...positions.map(Math.floor));
				const straight = configOf(['--json', '--epochs', String(level), '--optimizers', 'gd,sgd']);
				const out = sink();
				await runHeadless(straight, loadConfigDataset(straight), {stdout: out, stderr: sink(), signals: new EventEmitter()});
				const reference = JSON.parse(out.text()) as Json;
				for (const [index, racer] of reference.racers.entries()) {
					if (stopped.racers[index]!.iterations === level) expect(stopped.racers[index]!.weights).toEqual(racer.weights);
				}
			}
		}
	});

	it('stops quietly with 0 when stdout is a closed pipe (EPIPE)', async () => {
		const config = configOf(['--log', 'ndjson', '--epochs', '100000000', '--optimizers', 'sgd']);
		const stderr = sink();
		const code = await runHeadless(config, loadConfigDataset(config), {stdout: sink('EPIPE'), stderr, signals: new EventEmitter()});
		expect(code).toBe(0);
		expect(stderr.text()).toBe('');
	});

	it('reports another stdout failure in one line with exit code 1', async () => {
		const config = configOf(['--plain', '--epochs', '10']);
		const stderr = sink();
		const code = await runHeadless(config, loadConfigDataset(config), {stdout: sink('ENOSPC'), stderr, signals: new EventEmitter()});
		expect(code).toBe(1);
		expect(stderr.text()).toMatch(/^gdrace: cannot write to stdout: write ENOSPC\n$/);
	});

	it('keeps the history when the export path was taken during the run', async () => {
		const path = join(scratch, 'late.csv');
		const config = configOf(['--plain', '--epochs', '100000000', '--optimizers', 'sgd', '--export', path]);
		const stderr = sink();
		const signals = new EventEmitter();
		const running = runHeadless(config, loadConfigDataset(config), {stdout: sink(), stderr, signals});
		writeFileSync(path, 'not yours\n');
		signals.emit('SIGINT');
		expect(await running).toBe(130);
		expect(readFileSync(path, 'utf8')).toBe('not yours\n');
		expect(stderr.text()).toContain('appeared while the race ran');
		const kept = temporaryPath(path);
		expect(existsSync(kept)).toBe(true);
		expect(readFileSync(kept, 'utf8').split('\n')[0]).toBe('racer,iteration,samples,ms,loss,lr');
	});

	it('heads each racer block of the seed log when several race', async () => {
		const config = configOf(['--log', 'seed', '--epochs', '2', '--optimizers', 'gd,mb-epoch']);
		const stdout = sink();
		await runHeadless(config, loadConfigDataset(config), {stdout, stderr: sink(), signals: new EventEmitter()});
		const text = stdout.text();
		expect(text.startsWith('# gd: Gradient descent\n#####')).toBe(true);
		expect(text).toContain('\n\n# mb-epoch: Mini-batch (epoch)\n#####');
		expect(text.match(/^Epoch : \d \/ 2$/gm)).toEqual(['Epoch : 1 / 2', 'Epoch : 2 / 2', 'Epoch : 1 / 2', 'Epoch : 2 / 2']);
	});

	it('notes where a racer diverged in the seed log', async () => {
		const config = configOf(['--log', 'seed', '--epochs', '100', '--optimizers', 'gd', '--lr', '50']);
		const stdout = sink();
		expect(await runHeadless(config, loadConfigDataset(config), {stdout, stderr: sink(), signals: new EventEmitter()})).toBe(0);
		expect(stdout.text()).toMatch(/^# gd diverged at iteration \d+: /m);
		expect(stdout.text()).not.toMatch(/nan|inf/);
	});
});

describe('Output', () => {
	it('buffers lines and writes them on flush', async () => {
		const stream = sink();
		const out = new Output(stream);
		out.write('a\n');
		out.write('b\n');
		expect(stream.text()).toBe('');
		await out.flush();
		expect(stream.text()).toBe('a\nb\n');
		out.dispose();
	});

	it('makes a stream given as a function only when it writes through it', async () => {
		let made = 0;
		const stream = sink();
		const out = new Output(() => {
			made++;
			return stream;
		});
		out.write('a\n');
		expect(out.congested).toBe(false);
		expect(made).toBe(0);
		await out.flush();
		await out.flush();
		expect(made).toBe(1);
		expect(stream.text()).toBe('a\n');
		out.dispose();
		const unused = new Output(() => {
			made++;
			return stream;
		});
		await unused.flush();
		unused.dispose();
		expect(made).toBe(1);
	});

	describe.skipIf(process.platform === 'win32')('given a descriptor', () => {
		let dir: string;
		/** A FIFO's two ends, opened non-blocking: a write past its buffer fails with EAGAIN. */
		const fifo = (): {reader: number; writer: number} => {
			dir = mkdtempSync(join(tmpdir(), 'gdrace-fifo-'));
			const path = join(dir, 'fifo');
			execFileSync('mkfifo', [path]);
			const reader = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
			const writer = openSync(path, constants.O_WRONLY | constants.O_NONBLOCK);
			return {reader, writer};
		};
		const drain = (fd: number): Buffer => {
			const chunks: Buffer[] = [];
			const buffer = Buffer.alloc(1 << 16);
			for (;;) {
				let read: number;
				try {
					read = readSync(fd, buffer);
				} catch {
					break; // EAGAIN: empty
				}
				if (read === 0) break;
				chunks.push(Buffer.from(buffer.subarray(0, read)));
			}
			return Buffer.concat(chunks);
		};
		afterAll(() => {
			if (dir !== undefined) rmSync(dir, {recursive: true, force: true});
		});

		it('writes there, making no stream', async () => {
			const {reader, writer} = fifo();
			try {
				const out = new Output(() => {
					throw new Error('no stream wanted');
				}, writer);
				out.write('{"a": 1}\n');
				out.write('é\n');
				await out.flush();
				expect(out.closed).toBe(false);
				expect(drain(reader).toString()).toBe('{"a": 1}\né\n');
				out.dispose();
			} finally {
				closeSync(reader);
				closeSync(writer);
			}
		});

		it('hands what a full non-blocking pipe refuses (EAGAIN) to the stream, in order, and all that follows', async () => {
			const {reader, writer} = fifo();
			try {
				const chunks: Buffer[] = [];
				const stream = new Writable({
					write(chunk: Buffer, _encoding, callback) {
						chunks.push(Buffer.from(chunk));
						callback();
					},
				});
				const out = new Output(() => stream, writer);
				// Two-byte characters throughout: the pipe's cut may fall inside one.
				const text = Array.from({length: 40_000}, (_, i) => `é ${i}\n`).join('');
				out.write(text);
				await out.flush();
				out.write('after\n');
				await out.flush();
				const direct = drain(reader);
				expect(direct.length).toBeGreaterThan(0);
				expect(direct.length).toBeLessThan(Buffer.byteLength(text));
				expect(Buffer.concat([direct, ...chunks]).toString()).toBe(`${text}after\n`);
				expect(out.failure).toBeUndefined();
				out.dispose();
			} finally {
				closeSync(reader);
				closeSync(writer);
			}
		});

		it('turns EPIPE into `closed` without a failure, and another error into a failure', async () => {
			const {reader, writer} = fifo();
			closeSync(reader);
			try {
				const out = new Output(() => sink(), writer);
				out.write('x\n');
				await out.flush();
				expect(out.closed).toBe(true);
				expect(out.failure).toBeUndefined();
				out.dispose();
			} finally {
				closeSync(writer);
			}
			if (!existsSync('/dev/full')) return;
			const full = openSync('/dev/full', 'w');
			try {
				const out = new Output(() => sink(), full);
				out.write('x\n');
				await out.flush();
				expect(out.closed).toBe(true);
				expect((out.failure as NodeJS.ErrnoException | undefined)?.code).toBe('ENOSPC');
			} finally {
				closeSync(full);
			}
		});
	});

	it('turns EPIPE into `closed` without a failure', async () => {
		const out = new Output(sink('EPIPE'));
		out.write('x\n');
		await out.flush();
		await new Promise((resolve) => setImmediate(resolve));
		expect(out.closed).toBe(true);
		expect(out.failure).toBeUndefined();
		out.write('ignored\n');
		await out.flush();
		out.dispose();
	});
});
