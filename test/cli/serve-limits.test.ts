/**
 * `gdrace serve` against clients that abuse it, in-process (with a short grace time): connections
 * that never log in are closed when their grace time ends, at most MAX_LOGGING_IN are held at once
 * (more are closed at once, and the log says how many), and a viewer who opens a session is not
 * affected; a connection is closed at its MAX_REFUSALS-th refused request and may not open more
 * than MAX_CHANNELS sessions. Every socket talks to 127.0.0.1 and the loops are bounded.
 */
import {EventEmitter} from 'node:events';
import {mkdtempSync, rmSync} from 'node:fs';
import {connect} from 'node:net';
import type {Socket} from 'node:net';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {Writable} from 'node:stream';
import ssh2 from 'ssh2';
import type {ClientChannel} from 'ssh2';
import {afterAll, describe, expect, it, vi} from 'vitest';
import {parseArgs} from '../../src/cli/args.js';
import {loadConfigDataset, toConfig} from '../../src/cli/config.js';
import {MAX_CHANNELS, MAX_LOGGING_IN, MAX_REFUSALS, runServe} from '../../src/cli/serve.js';

const scratch = mkdtempSync(join(tmpdir(), 'gdrace-serve-limits-'));
afterAll(() => rmSync(scratch, {recursive: true, force: true}));

function sink(): Writable & {text: () => string} {
	let text = '';
	const stream = new Writable({
		write(chunk: Buffer, _encoding, done) {
			text += chunk.toString();
			done();
		},
	});
	return Object.assign(stream, {text: () => text});
}

/** A server in this process; `stop` sends SIGTERM and resolves to the exit code. */
async function startServer(loginGraceMs: number) {
	const parsed = parseArgs(['--epochs', '1000000']);
	if (parsed.kind !== 'run') throw new Error('flags');
	const config = toConfig(parsed.args, {stdoutIsTTY: true, stdinIsTTY: true, env: {}});
	const signals = new EventEmitter();
	const stderr = sink();
	let port = 0;
	const running = runServe(config, loadConfigDataset(config), {port: 0, host: '127.0.0.1', hostKey: join(scratch, `key-${loginGraceMs}`), maxSessions: 16, shared: false}, {
		stdout: sink(),
		stderr,
		env: {},
		signals,
		loginGraceMs,
		onListening: (address) => (port = address.port),
	});
	await vi.waitFor(() => expect(port).toBeGreaterThan(0), {timeout: 20_000, interval: 5});
	return {
		port,
		log: () => stderr.text(),
		stop: () => {
			signals.emit('SIGTERM');
			return running;
		},
	};
}

/** An ssh2 client, logged in. */
function connectClient(port: number): Promise<InstanceType<typeof ssh2.Client>> {
	return new Promise((resolve, reject) => {
		const client = new ssh2.Client();
		client.on('ready', () => resolve(client)).on('error', reject);
		client.connect({host: '127.0.0.1', port, username: 'viewer', readyTimeout: 20_000});
	});
}

/** Connections the log says were turned away: one per `closed ADDRESS` line, N per `closed N more`. */
function turnedAway(log: string): number {
	let count = 0;
	for (const [, more] of log.matchAll(/^gdrace serve: \d+ connections still logging in: closed (?:127\.0\.0\.1:\d+|(\d+) more)$/gm)) count += more === undefined ? 1 : Number(more);
	return count;
}

/** A TCP connection that never says anything; `closed` resolves when the server closes it. */
function silent(port: number): Promise<{socket: Socket; closed: Promise<void>}> {
	return new Promise((resolve, reject) => {
		const socket = connect(port, '127.0.0.1');
		socket.on('error', () => {});
		// It reads (and drops) the server's greeting, so that it sees the end of the connection.
		socket.resume();
		const closed = new Promise<void>((done) => socket.on('close', () => done()));
		socket.once('connect', () => resolve({socket, closed}));
		socket.once('error', reject);
	});
}

describe('gdrace serve: clients that abuse it', () => {
	it(`holds at most ${MAX_LOGGING_IN} at once, closes each at the end of its grace time, and leaves a viewer's session alone`, async () => {
		const server = await startServer(5000);
		try {
			// A viewer opens a session first: its connection is no longer logging in.
			const client = new ssh2.Client();
			const channel = await new Promise<ClientChannel>((resolve, reject) => {
				client
					.on('ready', () => client.shell({cols: 80, rows: 24, term: 'xterm-256color'}, (error, stream) => (error ? reject(error) : resolve(stream))))
					.on('error', reject)
					.connect({host: '127.0.0.1', port: server.port, username: 'viewer', readyTimeout: 20_000});
			});
			let viewerClosed = false;
			channel.on('close', () => (viewerClosed = true));
			let frames = 0;
			channel.on('data', (data: Buffer) => (frames += data.toString('latin1').split('\u001B[?2026h').length - 1));

			const held: {socket: Socket; closed: Promise<void>}[] = [];
			for (let i = 0; i < MAX_LOGGING_IN; i++) held.push(await silent(server.port));
			// One more (and a few after it) are closed at once, long before the grace time ends.
			const extra = await Promise.all(Array.from({length: 3}, () => silent(server.port)));
			await Promise.all(extra.map((one) => one.closed));
			// The first turned away is named; then a line a second counts the rest (all 3 here).
			await vi.waitFor(() => expect(turnedAway(server.log())).toBe(3), {timeout: 20_000, interval: 10});
			expect(server.log()).toMatch(new RegExp(`^gdrace serve: ${MAX_LOGGING_IN} connections still logging in: closed 127\\.0\\.0\\.1:\\d+\n`, 'm'));
			// The held ones close when their grace time ends, each logged.
			await Promise.all(held.map((one) => one.closed));
			const closedLines = server.log().split('\n').filter((line) => /^gdrace serve: closed 127\.0\.0\.1:\d+: no session 5\.00 s after connecting$/.test(line));
			expect(closedLines).toHaveLength(MAX_LOGGING_IN);
			// The viewer's session outlived every grace timer and still gets frames.
			const before = frames;
			await vi.waitFor(() => expect(frames).toBeGreaterThan(before + 3), {timeout: 20_000, interval: 10});
			expect(viewerClosed).toBe(false);
			// Room again: a new silent connection is held until its grace time ends, not turned away.
			const again = await silent(server.port);
			await again.closed;
			await vi.waitFor(() => expect(server.log().split('\n').filter((line) => / no session 5\.00 s after connecting$/.test(line))).toHaveLength(MAX_LOGGING_IN + 1), {timeout: 20_000, interval: 10});
			expect(turnedAway(server.log())).toBe(3);
			client.end();
		} finally {
			expect(await server.stop()).toBe(143);
		}
	}, 120_000);

	it(`closes a connection at refused request number ${MAX_REFUSALS}, each logged, and refuses a session past ${MAX_CHANNELS} on one connection`, async () => {
		const server = await startServer(60_000);
		try {
			const client = await connectClient(server.port);
			const closed = new Promise<void>((resolve) => client.on('close', () => resolve()));
			// Refused requests one after another, until the server closes the connection.
			let refused = 0;
			for (let i = 0; i < MAX_REFUSALS + 5; i++) {
				const failed = await new Promise<boolean>((resolve) => {
					try {
						client.exec(`echo ${i}`, (error) => resolve(error !== undefined));
					} catch {
						resolve(true);
					}
				});
				if (!failed) break;
				refused++;
				if (refused === MAX_REFUSALS) break;
			}
			await closed;
			// (ssh2's client leaves a session open after a refused exec: past MAX_CHANNELS, the sessions themselves are refused.)
			const lines = server.log().split('\n').filter((line) => line.startsWith('gdrace serve: refused '));
			expect(lines).toHaveLength(MAX_REFUSALS);
			expect(lines.slice(0, MAX_CHANNELS).every((line) => /^gdrace serve: refused exec "echo \d+" from 127\.0\.0\.1:\d+$/.test(line))).toBe(true);
			expect(lines.slice(MAX_CHANNELS).every((line) => new RegExp(`^gdrace serve: refused a session past ${MAX_CHANNELS} on one connection from 127\\.0\\.0\\.1:\\d+$`).test(line))).toBe(true);
			expect(server.log()).toMatch(new RegExp(`^gdrace serve: closed 127\\.0\\.0\\.1:\\d+: ${MAX_REFUSALS} refused requests$`, 'm'));

			// Sessions on one connection: MAX_CHANNELS are let in (here viewers without a pty), one more is refused.
			const many = await connectClient(server.port);
			const opened: ClientChannel[] = [];
			for (let i = 0; i < MAX_CHANNELS; i++) opened.push(await new Promise<ClientChannel>((resolve, reject) => many.shell(false, (error, stream) => (error ? reject(error) : resolve(stream.resume())))));
			const extra = await new Promise<unknown>((resolve) => many.shell(false, (error) => resolve(error)));
			expect(extra).toBeInstanceOf(Error);
			await vi.waitFor(() => expect(server.log().split('\n').filter((line) => line.includes(' refused a session past '))).toHaveLength(MAX_REFUSALS - MAX_CHANNELS + 1), {timeout: 20_000, interval: 10});
			// Closing one makes room for another.
			const done = new Promise((resolve) => opened[0]!.on('close', resolve));
			opened[0]!.close();
			await done;
			const another = await new Promise<unknown>((resolve) => many.shell(false, (error) => resolve(error)));
			expect(another).toBeUndefined();
			many.end();
		} finally {
			expect(await server.stop()).toBe(143);
		}
	}, 120_000);
});

