/**
 * `gdrace serve` (issue 9): the real server (dist/cli.cjs) on a loopback port the OS picks, driven
 * by ssh2's own client and by the real OpenSSH `ssh` and `sftp` (skipped, by name, where they are
 * missing). Every loop is bounded and talks only to 127.0.0.1.
 */
import {spawn, spawnSync} from 'node:child_process';
import type {ChildProcess} from 'node:child_process';
import {existsSync, readFileSync, writeFileSync} from 'node:fs';
import {connect} from 'node:net';
import xterm from '@xterm/headless';
import ssh2 from 'ssh2';
import type {ClientChannel} from 'ssh2';
import {afterAll, afterEach, describe, expect, it} from 'vitest';
import {CLI, cleanEnv, gdrace, scratchDir, until} from '../reliability/helpers.js';
import {disposeAll, gdraceCommand, spawnGdrace, spawnTerminal} from './pty.js';
import type {TerminalSession} from './pty.js';

const {Client, utils} = ssh2;
const scratch = scratchDir('serve');
afterAll(() => scratch.cleanup());

const hasOpenSsh = spawnSync('ssh', ['-V']).status === 0 && spawnSync('sftp', ['-h']).error === undefined;
if (!hasOpenSsh) {
	console.warn('serve.test: OpenSSH ssh/sftp not installed; skipped: "the real OpenSSH ssh watches the race", "the real sftp is refused", "--shared: the real OpenSSH ssh watches the shared race"');
}

type Server = {child: ChildProcess; port: number; stdout: () => string; stderr: () => string; exit: Promise<number | null>};
const servers: Server[] = [];
const clients: InstanceType<typeof Client>[] = [];
afterEach(() => {
	for (const client of clients.splice(0)) client.end();
	for (const server of servers.splice(0)) server.child.kill('SIGKILL');
	disposeAll();
});

/** Starts `gdrace serve --port 0` with a host key in the scratch folder; resolves once it listens. */
async function startServer(args: readonly string[] = [], env: Record<string, string> = {}, stdin?: string): Promise<Server> {
	const child = spawn(process.execPath, [CLI, 'serve', '--port', '0', '--host-key', scratch.path('host_key'), '--epochs', '1000000', ...args], {
		env: cleanEnv({XDG_CONFIG_HOME: scratch.path('config'), ...env}),
		stdio: [stdin === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
	});
	if (stdin !== undefined) child.stdin!.end(stdin);
	let out = '';
	let err = '';
	child.stdout!.on('data', (data: Buffer) => (out += data.toString()));
	child.stderr!.on('data', (data: Buffer) => (err += data.toString()));
	const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
	await until(() => /watch with/.test(out) || child.exitCode !== null, 30_000);
	const port = Number(/listening on 127\.0\.0\.1:(\d+)/.exec(out)?.[1]);
	expect(port, err).toBeGreaterThan(0);
	const server = {child, port, stdout: () => out, stderr: () => err, exit};
	servers.push(server);
	return server;
}

/** An ssh2 client connected to the server. */
function sshClient(port: number, options: Record<string, unknown> = {}): Promise<InstanceType<typeof Client>> {
	return new Promise((resolve, reject) => {
		const client = new Client();
		clients.push(client);
		client.on('ready', () => resolve(client)).on('error', reject);
		client.connect({host: '127.0.0.1', port, username: 'viewer', readyTimeout: 20_000, ...options});
	});
}

/** A viewer: a shell with a pty, its output read by a headless xterm (of `pty` when given: the size the client claims). */
async function viewer(port: number, cols: number, rows: number, pty: {cols: number; rows: number} = {cols, rows}) {
	const client = await sshClient(port);
	const term = new xterm.Terminal({cols, rows, allowProposedApi: true});
	let bytes = 0;
	let frames = 0;
	let exit!: Promise<number | undefined>;
	// Listeners go on in the callback itself: the server's first bytes and exit status may come in
	// the same packet as the shell's acceptance.
	const channel = await new Promise<ClientChannel>((resolve, reject) =>
		client.shell({cols: pty.cols, rows: pty.rows, term: 'xterm-256color'}, (error, stream) => {
			if (error) {
				reject(error);
				return;
			}
			stream.on('data', (data: Buffer) => {
				bytes += data.length;
				frames += data.toString('latin1').split('\u001B[?2026h').length - 1;
				term.write(data);
			});
			exit = new Promise<number | undefined>((done) => stream.on('exit', (code: number) => done(code)).on('close', () => done(undefined)));
			resolve(stream);
		}),
	);
	const screen = (): string[] => Array.from({length: term.rows}, (_, row) => term.buffer.active.getLine(term.buffer.active.baseY + row)?.translateToString(true) ?? '');
	return {client, channel, term, screen, exit, stats: () => ({bytes, frames})};
}

/** A server and two 100×30 viewers, both racing: one to misbehave, one to count frames. */
async function flooderAndCalm() {
	const server = await startServer();
	const flooder = await viewer(server.port, 100, 30);
	const calm = await viewer(server.port, 100, 30);
	await until(() => /^GD /m.test(flooder.screen().join('\n')) && /^GD /m.test(calm.screen().join('\n')), 30_000);
	return {server, flooder, calm};
}

/** Each viewer presses q; each session ends with 0. */
async function leave(...viewers: {channel: ClientChannel; exit: Promise<number | undefined>}[]): Promise<void> {
	for (const one of viewers) {
		one.channel.write('q');
		expect(await one.exit).toBe(0);
	}
}

describe('gdrace serve', () => {
	it('gives each viewer the live race at its own size, follows window-change, and q ends only that viewer', async () => {
		const server = await startServer();
		const wide = await viewer(server.port, 100, 30);
		const narrow = await viewer(server.port, 80, 24);
		await until(() => /^GD +[\d,]*[1-9]/m.test(wide.screen().join('\n')) && /^GD +[\d,]*[1-9]/m.test(narrow.screen().join('\n')), 30_000);
		expect(wide.screen()[0]).toMatch(/^gdrace {2}boston\.csv/);
		expect(wide.screen().some((line) => line.trimEnd().length > 80)).toBe(true);
		expect(narrow.screen().every((line) => line.trimEnd().length <= 80)).toBe(true);

		narrow.channel.setWindow(20, 60, 0, 0);
		narrow.term.resize(60, 20);
		await until(() => narrow.screen().length === 20 && /^GD /m.test(narrow.screen().join('\n')) && narrow.screen().every((line) => line.trimEnd().length <= 60), 30_000);

		narrow.channel.write('q');
		expect(await narrow.exit).toBe(0);
		// The other viewer still races.
		const before = wide.stats().frames;
		await until(() => wide.stats().frames > before + 3, 30_000);
		wide.channel.write('q');
		expect(await wide.exit).toBe(0);
		// Each viewer's coming and going is one line on stderr, with the audience after it.
		await until(() => /^gdrace serve: viewer 127\.0\.0\.1:\d+ left after .* \(0 watching\)$/m.test(server.stderr()), 10_000);
		const audience = server.stderr().split('\n').filter((line) => / viewer /.test(line));
		expect(audience).toHaveLength(4);
		expect(audience[0]).toMatch(/^gdrace serve: viewer 127\.0\.0\.1:\d+ joined at 100×30 \(1 watching\)$/);
		expect(audience[1]).toMatch(/^gdrace serve: viewer 127\.0\.0\.1:\d+ joined at 80×24 \(2 watching\)$/);
		expect(audience[2]).toMatch(/^gdrace serve: viewer 127\.0\.0\.1:\d+ left after \d[\d.]* (ms|s) \(1 watching\)$/);
		expect(audience[3]).toMatch(/^gdrace serve: viewer 127\.0\.0\.1:\d+ left after \d[\d.]* (ms|s) \(0 watching\)$/);
	}, 90_000);

	it('draws a huge pty at most 300×100, in its corner, and the other viewers keep their frames', async () => {
		const server = await startServer();
		// The client claims 20000×20000 (its emulator here is the 300×100 the server draws).
		const huge = await viewer(server.port, 300, 100, {cols: 20_000, rows: 20_000});
		const calm = await viewer(server.port, 100, 30);
		await until(() => /^GD +[\d,]*[1-9]/m.test(huge.screen().join('\n')) && /^GD +[\d,]*[1-9]/m.test(calm.screen().join('\n')), 30_000);
		expect(huge.screen()[0]).toMatch(/^gdrace {2}boston\.csv.* running$/);
		// The footer on the drawn screen's second-last row (the last is left free, as everywhere).
		const footer = (lines: string[]): number => lines.findIndex((line) => line.startsWith('space pause '));
		expect(footer(huge.screen())).toBe(98);
		const before = calm.stats().frames;
		await until(() => calm.stats().frames > before + 10, 30_000);
		expect(server.stderr()).toMatch(/^gdrace serve: viewer 127\.0\.0\.1:\d+ joined at 20000×20000 \(drawn at 300×100\) \(1 watching\)$/m);
		// A window-change to a huge size is capped too.
		calm.channel.setWindow(50_000, 400, 0, 0);
		calm.term.resize(300, 100);
		await until(() => footer(calm.screen()) === 98 && calm.screen()[0]!.trimEnd().endsWith('running') && calm.screen()[0]!.trimEnd().length > 200, 30_000);
		await leave(huge, calm);
	}, 90_000);

	it('drops a flood of keys whole (logged once); the others keep their frames and the flooder\'s next key works', async () => {
		const {server, flooder, calm} = await flooderAndCalm();
		// 16 KB of `r` (restart with seed + 1), several times: more than a person types in a minute.
		for (let i = 0; i < 4; i++) flooder.channel.write('r'.repeat(16_384));
		await until(() => /^gdrace serve: viewer 127\.0\.0\.1:\d+ sends keys faster than 512 bytes a second: the excess is dropped$/m.test(server.stderr()), 20_000);
		const before = calm.stats().frames;
		await until(() => calm.stats().frames > before + 5, 30_000);
		// Not one restart went through; then a single key does.
		expect(/seed (\d+)/.exec(flooder.screen()[1] ?? '')?.[1]).toBe('2023');
		flooder.channel.write(' ');
		await until(() => /paused\s*$/.test(flooder.screen()[0] ?? ''), 30_000);
		expect(server.stderr().split('\n').filter((line) => line.includes(' sends keys faster than '))).toHaveLength(1);
		await leave(flooder, calm);
	}, 90_000);

	it('takes a flood of window-changes as the newest size; the others keep their frames', async () => {
		const {flooder, calm} = await flooderAndCalm();
		for (let i = 0; i < 3000; i++) flooder.channel.setWindow(20 + (i % 40), 60 + (i % 100), 0, 0);
		flooder.channel.setWindow(20, 60, 0, 0);
		flooder.term.resize(60, 20);
		const before = calm.stats().frames;
		await until(() => calm.stats().frames > before + 5, 30_000);
		// The last size is the one drawn.
		await until(() => /^GD /m.test(flooder.screen().join('\n')) && flooder.screen().every((line) => line.trimEnd().length <= 60) && flooder.screen().findIndex((line) => line.startsWith('space ')) === 18, 30_000);
		await leave(flooder, calm);
	}, 90_000);

	it('without a pty, a viewer gets the plain summary', async () => {
		const server = await startServer(['--epochs', '200']);
		const client = await sshClient(server.port);
		const channel = await new Promise<ClientChannel>((resolve, reject) => client.shell(false, (error, stream) => (error ? reject(error) : resolve(stream))));
		let text = '';
		channel.on('data', (data: Buffer) => (text += data.toString()));
		await new Promise((resolve) => channel.on('close', resolve));
		expect(text).toMatch(/^Results +gd +sgd +mb-random +mb-epoch +optimum$/m);
		expect(server.stderr()).toMatch(/^gdrace serve: viewer 127\.0\.0\.1:\d+ without a pty: racing for the plain summary$/m);
	}, 60_000);

	it('races the data piped into its stdin with --data - (stdin was taken for the terminal, and refused)', async () => {
		const rows = readFileSync('data/boston.csv', 'utf8').split('\n').slice(0, 101).join('\n');
		const server = await startServer(['--data', '-', '--epochs', '200'], {}, rows);
		const client = await sshClient(server.port);
		const channel = await new Promise<ClientChannel>((resolve, reject) => client.shell(false, (error, stream) => (error ? reject(error) : resolve(stream))));
		let text = '';
		channel.on('data', (data: Buffer) => (text += data.toString()));
		await new Promise((resolve) => channel.on('close', resolve));
		expect(text).toMatch(/^Data +stdin: 100 rows, RM, LSTAT → MEDV/m);
		expect(text).toMatch(/^Results +gd +sgd +mb-random +mb-epoch +optimum$/m);
	}, 60_000);

	// The server's own TERM (dumb in an Emacs shell buffer, say) says nothing of the viewers'.
	it("colors follow the viewer's terminal, not the server's TERM; a TERM=dumb viewer gets the plain summary", async () => {
		const server = await startServer(['--epochs', '200'], {TERM: 'dumb'});
		const colored = await viewer(server.port, 100, 30);
		await until(() => /^GD /m.test(colored.screen().join('\n')), 30_000);
		const buffer = colored.term.buffer.active;
		const cells = Array.from({length: 30}, (_, row) => Array.from({length: 100}, (_, col) => buffer.getLine(buffer.baseY + row)?.getCell(col))).flat();
		expect(cells.some((cell) => cell !== undefined && cell.getChars() !== '' && !cell.isFgDefault())).toBe(true);
		colored.channel.write('q');
		expect(await colored.exit).toBe(0);

		const client = await sshClient(server.port);
		const channel = await new Promise<ClientChannel>((resolve, reject) =>
			client.shell({cols: 80, rows: 24, term: 'dumb'}, (error, stream) => (error ? reject(error) : resolve(stream))),
		);
		let text = '';
		channel.on('data', (data: Buffer) => (text += data.toString()));
		await new Promise((resolve) => channel.on('close', resolve));
		expect(text).toMatch(/^Results +gd +sgd +mb-random +mb-epoch +optimum\r?$/m);
		expect(text).not.toContain('\u001B[?1049h');
		expect(server.stderr()).toMatch(/^gdrace serve: viewer 127\.0\.0\.1:\d+ with a TERM=dumb terminal: racing for the plain summary$/m);
	}, 60_000);

	it('refuses exec, sftp, port forwarding both ways and X11, cleanly, each logged in one line', async () => {
		const server = await startServer();
		const client = await sshClient(server.port);
		const failed = (start: (done: (error: unknown) => void) => void) => new Promise<unknown>((resolve) => start(resolve));
		expect(await failed((done) => client.exec('cat /etc/passwd', (error, stream) => (error ? done(error) : stream.on('close', () => done(undefined)))))).toBeInstanceOf(Error);
		expect(await failed((done) => client.sftp((error) => done(error)))).toBeInstanceOf(Error);
		expect(await failed((done) => client.forwardOut('127.0.0.1', 1, '127.0.0.1', 22, (error) => done(error)))).toBeInstanceOf(Error);
		expect(await failed((done) => client.forwardIn('127.0.0.1', 0, (error) => done(error)))).toBeInstanceOf(Error);
		expect(await failed((done) => client.shell({cols: 80, rows: 24}, {x11: true}, (error, stream) => {
			if (error) done(error);
			else {
				stream.write('q');
				stream.on('close', () => done('shell ran'));
			}
		}))).toBeDefined();
		await until(() => server.stderr().split('\n').filter((line) => line.startsWith('gdrace serve: refused')).length >= 5, 20_000);
		const refused = server.stderr().split('\n').filter((line) => line.startsWith('gdrace serve: refused'));
		for (const what of ['exec "cat /etc/passwd"', 'subsystem sftp', 'port forwarding', 'tcpip-forward', 'X11 forwarding']) {
			expect(refused.some((line) => line.includes(what)), `${what} in ${refused.join(' | ')}`).toBe(true);
		}
		expect(server.child.exitCode).toBeNull();
	}, 60_000);

	it('with --authorized-keys lets in only those keys', async () => {
		const allowed = utils.generateKeyPairSync('ecdsa', {bits: 256});
		const other = utils.generateKeyPairSync('ecdsa', {bits: 256});
		writeFileSync(scratch.path('authorized_keys'), `# viewers\n${allowed.public} teacher\n`);
		const server = await startServer(['--authorized-keys', scratch.path('authorized_keys')]);
		expect(server.stdout()).toContain('1 authorized key');
		await sshClient(server.port, {privateKey: allowed.private});
		await expect(sshClient(server.port, {privateKey: other.private})).rejects.toThrow(/authentication/i);
		await expect(sshClient(server.port, {password: 'guess'})).rejects.toThrow(/authentication/i);
	}, 60_000);

	it('past --max-sessions a viewer gets one line and is closed; garbage bytes and a stalled reader cost only their own connection', async () => {
		const server = await startServer(['--max-sessions', '2']);
		const watching = await viewer(server.port, 100, 30);
		// A viewer that stops reading: its frames are dropped, never queued.
		const stalled = await viewer(server.port, 100, 30);
		stalled.channel.pause();
		const full = await viewer(server.port, 80, 24);
		await until(() => full.screen().join('\n').includes('server full, 2 viewers'), 20_000);
		expect(await full.exit).toBe(1);
		// Garbage on a raw connection.
		await new Promise<void>((resolve) => {
			const socket = connect(server.port, '127.0.0.1', () => {
				socket.write(Buffer.from(Array.from({length: 4096}, (_, i) => (i * 7919) % 256)), () => socket.destroy());
			});
			socket.on('error', () => resolve());
			socket.on('close', () => resolve());
		});
		// The watching viewer keeps getting frames for a while, the server's memory stays bounded.
		const start = watching.stats().frames;
		await until(() => watching.stats().frames > start + 30, 60_000);
		const rss = Number(/VmRSS:\s+(\d+)/.exec(spawnSync('cat', [`/proc/${server.child.pid}/status`], {encoding: 'utf8'}).stdout)?.[1]);
		expect(rss).toBeLessThan(400 * 1024);
		expect(server.child.exitCode).toBeNull();
		stalled.channel.resume();
	}, 120_000);

	it('SIGTERM tells the viewers, closes their sessions and exits 143', async () => {
		const server = await startServer();
		const one = await viewer(server.port, 80, 24);
		await until(() => /^GD /m.test(one.screen().join('\n')), 30_000);
		server.child.kill('SIGTERM');
		expect(await server.exit).toBe(143);
		expect(await one.exit).toBe(143);
		expect(server.stderr()).toMatch(/stopping \(SIGTERM\): closing 1 viewer session/);
	}, 60_000);

	it.skipIf(!hasOpenSsh)('the real OpenSSH ssh watches the race, and q ends it', async () => {
		const server = await startServer();
		const term = spawnTerminal('ssh', ['-tt', '-p', String(server.port), '-o', 'StrictHostKeyChecking=no', '-o', 'UserKnownHostsFile=/dev/null', '-o', 'BatchMode=yes', '-o', 'LogLevel=ERROR', '127.0.0.1'], {cols: 90, rows: 26});
		await term.waitFor(/^GD +[\d,]*[1-9]/m, {timeout: 30_000});
		expect(term.screen()[0]).toMatch(/^gdrace {2}boston\.csv/);
		term.press('q');
		expect((await term.waitForExit(20_000)).exitCode).toBe(0);
	}, 60_000);

	it.skipIf(!hasOpenSsh)('the real sftp is refused', async () => {
		const server = await startServer();
		const result = spawnSync('sftp', ['-P', String(server.port), '-o', 'StrictHostKeyChecking=no', '-o', 'UserKnownHostsFile=/dev/null', '-o', 'BatchMode=yes', '127.0.0.1'], {
			encoding: 'utf8',
			timeout: 20_000,
			input: '',
		});
		expect(result.status).not.toBe(0);
		expect(result.stderr).toMatch(/subsystem request failed/);
		await until(() => server.stderr().includes('refused subsystem sftp'), 10_000);
	}, 60_000);

	describe('--shared', () => {
		/** The presenter: `gdrace serve --shared` in a pty (its own terminal); resolves once its screen is up. */
		async function startPresenter(args: readonly string[] = [], size = {cols: 100, rows: 30}): Promise<{term: TerminalSession; port: number}> {
			const term = spawnGdrace(['serve', '--shared', '--port', '0', '--host-key', scratch.path('host_key'), '--epochs', '1000000', ...args], {
				...size,
				env: {XDG_CONFIG_HOME: scratch.path('config')},
			});
			await term.waitFor(/0 watching · ssh -p \d+ 127\.0\.0\.1/, {timeout: 30_000});
			const port = Number(/listening on 127\.0\.0\.1:(\d+)/.exec(term.raw())?.[1]);
			expect(port).toBeGreaterThan(0);
			return {term, port};
		}
		/** What a screen's header says: the race's state, iteration, seed and speed. */
		const header = (screen: readonly string[]) => ({
			state: /(running|paused|done|replay)\s*$/.exec(screen[0] ?? '')?.[1],
			iteration: /iteration ([\d,]+) \//.exec(screen[1] ?? '')?.[1],
			seed: /seed (\d+)/.exec(screen[1] ?? '')?.[1],
			speed: /speed ([^·]+?) ·/.exec(screen[1] ?? '')?.[1],
		});
		const watchingFooter = (screen: readonly string[]) => screen.some((line) => /^watching: q leave {2}\? help/.test(line));
		const HELP = "Watching the presenter's race";

		it('the server terminal steers one race; viewers watch it at their own size, follow pause, view and restart, and steer nothing', async () => {
			const {term: presenter, port} = await startPresenter();
			const wide = await viewer(port, 100, 30);
			const narrow = await viewer(port, 80, 24);
			await presenter.waitFor(/2 watching/, {timeout: 30_000});
			await until(() => [wide, narrow].every((one) => watchingFooter(one.screen()) && /^GD +[\d,]*[1-9]/m.test(one.screen().join('\n'))), 30_000);
			expect(wide.screen().some((line) => line.trimEnd().length > 80)).toBe(true);
			expect(narrow.screen().every((line) => line.trimEnd().length <= 80)).toBe(true);

			// Paused on the server's terminal: paused for every viewer, at the same iteration.
			presenter.press('space');
			await presenter.waitFor((session) => header(session.screen()).state === 'paused');
			const paused = header(presenter.screen());
			await until(() => [wide, narrow].every((one) => JSON.stringify(header(one.screen())) === JSON.stringify(paused)), 30_000);
			// A viewer joining now (nothing moves, nothing is published) sees that moment at once.
			const late = await viewer(port, 90, 26);
			await until(() => JSON.stringify(header(late.screen())) === JSON.stringify(paused) && /^GD /m.test(late.screen().join('\n')), 30_000);
			late.channel.write('q');
			expect(await late.exit).toBe(0);

			// A viewer's keys steer nothing; its `?` is its own help. The help showing proves the keys before it were read.
			wide.channel.write(' +r]sck');
			wide.channel.write('?');
			await until(() => wide.screen().join('\n').includes(HELP), 30_000);
			expect(narrow.screen().join('\n')).not.toContain(HELP);
			expect(presenter.text()).not.toContain(HELP);
			// The presenter steps once: everyone shows exactly one more iteration, same seed, same speed, still paused.
			presenter.press('s');
			const stepped = {...paused, iteration: String(Number(paused.iteration!.replaceAll(',', '')) + 1)};
			await presenter.waitFor((session) => JSON.stringify(header(session.screen())) === JSON.stringify(stepped));
			await until(() => [wide, narrow].every((one) => JSON.stringify(header(one.screen())) === JSON.stringify(stepped)), 30_000);
			expect(wide.screen().join('\n')).toContain(HELP);
			wide.channel.write('?');
			await until(() => !wide.screen().join('\n').includes(HELP) && /^GD /m.test(wide.screen().join('\n')), 30_000);

			// The presenter's view is the viewers' view.
			presenter.press('g');
			await until(() => [presenter.screen(), wide.screen(), narrow.screen()].every((screen) => /loss − L\* \(log scale\)|gap \(log\)/.test(screen.join('\n'))), 30_000);
			// A restart (seed + 1, running): viewers follow the new race.
			presenter.press('r');
			await until(() => [wide, narrow].every((one) => header(one.screen()).seed === String(Number(paused.seed) + 1) && header(one.screen()).state === 'running'), 30_000);

			// A viewer's window-change.
			narrow.channel.setWindow(20, 60, 0, 0);
			narrow.term.resize(60, 20);
			await until(() => /^GD /m.test(narrow.screen().join('\n')) && narrow.screen().every((line) => line.trimEnd().length <= 60) && watchingFooter(narrow.screen()), 30_000);

			// q leaves: the others keep watching.
			narrow.channel.write('q');
			expect(await narrow.exit).toBe(0);
			await presenter.waitFor(/1 watching/, {timeout: 30_000});
			const before = wide.stats().frames;
			await until(() => wide.stats().frames > before + 3, 30_000);
			presenter.press('space');
			await until(() => header(wide.screen()).state === 'paused', 30_000);

			// A refused request while the screen is up: its log line waits (stderr is this terminal).
			const client = await sshClient(port);
			await expect(new Promise((resolve, reject) => client.exec('id', (error) => (error ? reject(error) : resolve(undefined))))).rejects.toThrow();
			await presenter.waitFor(/1 watching · ssh -p \d+ 127\.0\.0\.1 · 1 log line held/, {timeout: 30_000});
			expect(presenter.text()).not.toContain('refused');
			expect(presenter.isAltScreen()).toBe(true);

			// The presenter quits: the viewer is told, its session closes; the server exits 0.
			presenter.press('q');
			expect(await wide.exit).toBe(0);
			// (xterm parses what came before the exit status a moment later.)
			await until(() => wide.screen().join('\n').includes('gdrace: the presenter ended the race'), 10_000);
			expect((await presenter.waitForExit(30_000)).exitCode).toBe(0);
			// The log waited for the screen to close (stderr is the same terminal), then came out in order.
			expect(presenter.scrollback().join('\n')).toMatch(/^Results +gd[\s\S]*^gdrace serve: refused exec "id" from 127\.0\.0\.1:\d+\ngdrace serve: the presenter ended the race: closing 1 viewer session$/m);
			// While the screen was up, viewers' coming and going was on its footer ("1 watching"), not held for the log.
			expect(presenter.scrollback().join('\n')).not.toMatch(/ viewer 127\.0\.0\.1:\d+ joined/);
		}, 180_000);

		it('with stderr not the terminal, log lines are written as they come; a viewer without a pty gets the summary so far', async () => {
			const log = scratch.path('serve.log');
			const [node, [cli]] = gdraceCommand();
			const presenter = spawnTerminal('sh', ['-c', 'exec "$@" 2>"$LOG"', 'sh', node, cli!, 'serve', '--shared', '--port', '0', '--host-key', scratch.path('host_key'), '--epochs', '1000000'], {
				env: {XDG_CONFIG_HOME: scratch.path('config'), LOG: log},
			});
			await presenter.waitFor(/0 watching · ssh -p \d+ 127\.0\.0\.1/, {timeout: 30_000});
			const port = Number(/listening on 127\.0\.0\.1:(\d+)/.exec(presenter.raw())?.[1]);
			const client = await sshClient(port);
			await expect(new Promise((resolve, reject) => client.exec('id', (error) => (error ? reject(error) : resolve(undefined))))).rejects.toThrow();
			await until(() => existsSync(log) && readFileSync(log, 'utf8').includes('gdrace serve: refused exec "id"'), 20_000);
			expect(presenter.isAltScreen()).toBe(true);
			// Without a pty: the shared race's summary as it stands.
			const channel = await new Promise<ClientChannel>((resolve, reject) => client.shell(false, (error, stream) => (error ? reject(error) : resolve(stream))));
			let text = '';
			channel.on('data', (data: Buffer) => (text += data.toString()));
			await new Promise((resolve) => channel.on('close', resolve));
			expect(text).toMatch(/^The presenter's race so far:\n/);
			await until(() => readFileSync(log, 'utf8').includes('without a pty: sent the summary so far'), 10_000);
			expect(text).toMatch(/^Results +gd +sgd +mb-random +mb-epoch +optimum$/m);
			presenter.press('q');
			expect((await presenter.waitForExit(30_000)).exitCode).toBe(0);
			expect(presenter.scrollback().join('\n')).not.toContain('refused');
		}, 90_000);

		it('with --exit-on-finish, the finished race ends the viewers\' sessions too, exit 0', async () => {
			// At 1 it/s nothing finishes until the presenter speeds it up (+ doubles), after the viewer came.
			const {term: presenter, port} = await startPresenter(['--epochs', '1000', '--speed', '1', '--exit-on-finish', '--hold', '0']);
			const one = await viewer(port, 80, 24);
			await until(() => watchingFooter(one.screen()) && /^GD /m.test(one.screen().join('\n')), 30_000);
			presenter.write('+'.repeat(20));
			expect(await one.exit).toBe(0);
			await until(() => one.screen().join('\n').includes('gdrace: the race is over'), 10_000);
			expect((await presenter.waitForExit(30_000)).exitCode).toBe(0);
			expect(presenter.scrollback().join('\n')).toMatch(/^iterations +1,000 +1,000 +1,000 +1,000$/m);
			expect(presenter.scrollback().join('\n')).toMatch(/^gdrace serve: the race is over: closing 1 viewer session$/m);
		}, 90_000);

		it('SIGTERM tells the viewers, closes their sessions and exits 143', async () => {
			const {term: presenter, port} = await startPresenter();
			const one = await viewer(port, 80, 24);
			await until(() => watchingFooter(one.screen()) && /^GD /m.test(one.screen().join('\n')), 30_000);
			presenter.kill('SIGTERM');
			expect((await presenter.waitForExit(30_000)).exitCode).toBe(143);
			expect(await one.exit).toBe(143);
			await until(() => one.screen().join('\n').includes('gdrace serve: the server is stopping'), 10_000);
			expect(presenter.scrollback().join('\n')).toMatch(/stopping \(SIGTERM\): closing 1 viewer session/);
		}, 90_000);

		it('needs a terminal: with stdout not one, one line and exit 2, before listening', () => {
			const result = gdrace(['serve', '--shared', '--port', '0', '--host-key', scratch.path('unused_key')], {env: {XDG_CONFIG_HOME: scratch.path('config')}});
			expect(result.code).toBe(2);
			expect(result.stderr).toMatch(/^gdrace: serve --shared shows and steers the race on this terminal: its stdout must be a terminal .*\n$/);
			expect(result.stdout).toBe('');
			expect(existsSync(scratch.path('unused_key'))).toBe(false);
		});

		it.skipIf(!existsSync('/bin/sh'))('with the data piped into stdin (--data -), the presenter steers with keys from /dev/tty', async () => {
			const [node, [cli]] = gdraceCommand();
			const presenter = spawnTerminal('/bin/sh', ['-c', 'cat data/boston.csv | "$N" "$C" serve --shared --data - --port 0 --host-key "$K" --epochs 1000000'], {
				env: {N: node, C: cli!, K: scratch.path('host_key'), XDG_CONFIG_HOME: scratch.path('config')},
			});
			await presenter.waitFor(/0 watching · ssh -p \d+ 127\.0\.0\.1/, {timeout: 30_000});
			expect(presenter.screen()[0]).toMatch(/^gdrace {2}stdin · 506 rows/);
			const port = Number(/listening on 127\.0\.0\.1:(\d+)/.exec(presenter.raw())?.[1]);
			const one = await viewer(port, 80, 24);
			await until(() => watchingFooter(one.screen()) && /^GD /m.test(one.screen().join('\n')), 30_000);
			presenter.press('space');
			await presenter.waitFor((session) => header(session.screen()).state === 'paused');
			await until(() => header(one.screen()).state === 'paused', 30_000);
			presenter.press('q');
			expect((await presenter.waitForExit(30_000)).exitCode).toBe(0);
			expect(await one.exit).toBe(0);
		}, 90_000);

		it.skipIf(!existsSync('/bin/sh') || (!existsSync('/usr/bin/setsid') && !existsSync('/bin/setsid')))(
			'with stdin not a terminal and no controlling terminal (setsid), one line and exit 2, before listening',
			async () => {
				const [node, [cli]] = gdraceCommand();
				const term = spawnTerminal('/bin/sh', ['-c', 'setsid -w "$N" "$C" serve --shared --port 0 --host-key "$K" < /dev/null; echo "exit $?"'], {
					env: {N: node, C: cli!, K: scratch.path('setsid_key'), XDG_CONFIG_HOME: scratch.path('config')},
				});
				await term.waitFor(/exit \d+/, {timeout: 30_000});
				// The raw bytes: the line is longer than the terminal is wide.
				const text = term.raw();
				expect(text).toMatch(/^gdrace: serve --shared steers the race with keys from this terminal, and there is none to read them from: .*\(\/dev\/tty\)\r?$/m);
				expect(text).toMatch(/^exit 2$/m);
				expect(text).not.toContain('listening');
				expect(existsSync(scratch.path('setsid_key'))).toBe(false);
			},
			90_000,
		);

		it.skipIf(!hasOpenSsh)('--shared: the real OpenSSH ssh watches the shared race, and Ctrl+C leaves', async () => {
			const {term: presenter, port} = await startPresenter();
			const term = spawnTerminal('ssh', ['-tt', '-p', String(port), '-o', 'StrictHostKeyChecking=no', '-o', 'UserKnownHostsFile=/dev/null', '-o', 'BatchMode=yes', '-o', 'LogLevel=ERROR', '127.0.0.1'], {cols: 90, rows: 26});
			await term.waitFor((session) => watchingFooter(session.screen()) && /^GD +[\d,]*[1-9]/m.test(session.text()), {timeout: 30_000});
			presenter.press('space');
			await term.waitFor((session) => header(session.screen()).state === 'paused', {timeout: 30_000});
			term.press('ctrl+c');
			expect((await term.waitForExit(20_000)).exitCode).toBe(0);
			await presenter.waitFor(/0 watching/, {timeout: 30_000});
			presenter.press('q');
			expect((await presenter.waitForExit(30_000)).exitCode).toBe(0);
		}, 90_000);
	});
});
