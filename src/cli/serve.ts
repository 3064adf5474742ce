/**
 * `gdrace serve`: the live race as an SSH server (ssh2). Each viewer with a pty gets one live
 * session (ui/session.tsx) at its own size, following window-change, with the keys; `q` or
 * Ctrl+C ends that viewer's session only. A viewer without a pty gets the plain summary.
 *
 * Nothing else is served: exec, sftp and every other subsystem, X11, agent and port forwarding,
 * env and signal requests are refused, each with one line on stderr. A viewer that reads slowly
 * or not at all costs bounded memory: the session's FrameWriter waits for the channel to drain
 * and then sends only the difference to the newest frame (frames are dropped, never queued).
 * Garbage, half-open or vanished clients end only their own connection. SIGINT, SIGTERM and
 * SIGHUP tell every viewer, close their sessions and end the server with 130, 143, 129.
 *
 * `--shared`: one race, made here and shown on the server's own terminal (cli/live.ts, which
 * steers it with every key and publishes what it shows through a SharedRace); each viewer's
 * session watches that race at its own size and has only `q` and `?`. When the presenter quits
 * (or the race ends with --exit-on-finish) every viewer gets "gdrace: the presenter ended the
 * race" and its session closes; the server exits 0. While that screen is up, log lines go to
 * stderr only when stderr is not a terminal (a terminal is taken to be the screen's own): else
 * they wait, the last MAX_HELD_LOG of them, and are written once the screen has closed; the
 * presenter's footer counts them.
 *
 * Imported dynamically (ssh2, React and Ink load only here).
 */
import {createHash} from 'node:crypto';
import {EventEmitter} from 'node:events';
import {chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync} from 'node:fs';
import {homedir} from 'node:os';
import {dirname, join} from 'node:path';
import {createServer} from 'node:net';
import type {Socket} from 'node:net';
import {PassThrough} from 'node:stream';
import {isatty} from 'node:tty';
import type {Writable} from 'node:stream';
import ssh2 from 'ssh2';
import type {AuthContext, Connection, ParsedKey, ServerChannel} from 'ssh2';
import type {Dataset} from '../data/dataset.js';
import {EngineGovernor} from '../engine/governor.js';
import {formatDuration} from '../ui/format.js';
import {startSession} from '../ui/session.js';
import type {Session} from '../ui/session.js';
import {SharedRace} from '../ui/shared-race.js';
import type {TerminalStream} from '../ui/terminal/frame-writer.js';
import type {Config} from './config.js';
import {EXIT, STOP_SIGNALS, UsageError, oneLine} from './errors.js';
import type {StopSignal} from './errors.js';
import {runHeadless} from './headless.js';
import {controllingTerminal, runLive} from './live.js';
import type {LiveIo} from './live.js';
import {createScheduler, headerData} from './race-setup.js';
import type {ServeOptions} from './serve-args.js';
import {formatSummary} from './summary.js';

const {Server, utils} = ssh2;

/** A pty of 0×0 (some clients send it) means this. */
const FALLBACK_SIZE = {cols: 80, rows: 24};
/**
 * The largest screen drawn for a viewer; a larger pty gets it in its top-left corner. A frame's
 * cost grows with its cells, and a client may claim any size: a 20000×20000 pty froze the server
 * for every viewer (0 frames in 6 s for the others), while at 300×100 the others keep 30 frames/s.
 */
export const MAX_VIEWER_SIZE = {cols: 300, rows: 100};
/** `--shared`: log lines kept while the screen is up on the terminal stderr writes to. */
const MAX_HELD_LOG = 1000;
/**
 * A connection that has not opened a session this long after connecting is closed (OpenSSH's
 * LoginGraceTime: the time includes a person answering ssh's host-key question), ms.
 */
export const LOGIN_GRACE_MS = 120_000;
/**
 * Connections still logging in (connected, no session yet) at once; more are closed at once. A
 * client that connects and says nothing holds a socket until the grace time ends: without a
 * bound, enough of them would use up the process's file descriptors and lock every viewer out.
 */
export const MAX_LOGGING_IN = 128;
/**
 * Refused requests (keys not authorized, exec, env, forwarding, sessions past the limit, …) one
 * connection may make: each is logged, and at this many the connection is closed, so that one
 * client cannot flood the log. An OpenSSH client makes a few (its env requests, its other keys).
 */
export const MAX_REFUSALS = 32;
/** Session channels one connection may have open at once (OpenSSH's MaxSessions). */
export const MAX_CHANNELS = 10;
/** Shortest time between two window-changes applied to a viewer's screen, ms. */
export const RESIZE_EVERY_MS = 100;

/** The streams the server logs to and the signals it obeys. */
export type ServeIo = {
	readonly stdout: Writable;
	readonly stderr: Writable;
	readonly env: Readonly<Record<string, string | undefined>>;
	/** `--shared`: the presenter's keys. @default process.stdin when descriptor 0 is a terminal */
	readonly stdin?: NodeJS.ReadStream;
	/** `--shared` with `stdin` not a terminal: where the keys come from instead. @default the controlling terminal, /dev/tty */
	readonly keyboard?: () => NodeJS.ReadStream | undefined;
	/** @default process */
	readonly signals?: NodeJS.EventEmitter;
	/** Told the listening address once the server listens (tests). */
	readonly onListening?: (address: {host: string; port: number}) => void;
	/** @default LOGIN_GRACE_MS (tests make it short) */
	readonly loginGraceMs?: number;
};

/** Thrown for a host key or authorized-keys file that cannot be used (exit code 1). */
export class ServeError extends Error {}

/** The default host key path: `$XDG_CONFIG_HOME/gdrace/host_ed25519`, else `~/.config/gdrace/host_ed25519`. */
export function defaultHostKeyPath(env: ServeIo['env']): string {
	const base = env['XDG_CONFIG_HOME'] !== undefined && env['XDG_CONFIG_HOME'] !== '' ? env['XDG_CONFIG_HOME'] : join(homedir(), '.config');
	return join(base, 'gdrace', 'host_ed25519');
}

/** Why the server cannot listen, in words and with what to do (the system's message for the rare rest). */
function listenProblem(error: unknown, port: number): string {
	switch ((error as NodeJS.ErrnoException).code) {
		case 'EADDRINUSE':
			return `port ${port} is in use (another gdrace serve, or an sshd?); choose another with --port, or --port 0 for any free one`;
		case 'EACCES':
		case 'EPERM':
			return `permission denied (ports below 1024 need root); choose another with --port, e.g. --port 2222`;
		case 'EADDRNOTAVAIL':
			return 'this machine has no such address; give one of its own with --host, e.g. --host 127.0.0.1 or --host 0.0.0.0';
		case 'ENOTFOUND':
		case 'EAI_AGAIN':
			return 'no such host name; give an address of this machine with --host, e.g. --host 127.0.0.1';
		default:
			return oneLine((error as Error).message);
	}
}

/** What went wrong reading or writing a file, in words (the system's message for the rare rest). */
function fileProblem(error: unknown): string {
	switch ((error as NodeJS.ErrnoException).code) {
		case 'ENOENT':
			return 'no such file; check the path';
		case 'ENOTDIR':
			return 'a part of the path is not a directory; check the path';
		case 'EISDIR':
			return 'is a directory, not a file';
		case 'EACCES':
		case 'EPERM':
			return 'permission denied';
		default:
			return `cannot use it (${oneLine((error as Error).message)})`;
	}
}

/**
 * Reads the host key, creating an ed25519 key (mode 600) when the file does not exist. The
 * directory of the default path is created too (mode 700); a path given with --host-key
 * (`given`) must be in a directory that exists, as --export's and --cast's must.
 */
export function loadHostKey(path: string, given = false): {key: ParsedKey; text: string; created: boolean} {
	const what = given ? `--host-key ${JSON.stringify(path)}` : `the host key ${JSON.stringify(path)}`;
	let text: string;
	let created = false;
	try {
		text = readFileSync(path, 'utf8');
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
			const hint = (error as NodeJS.ErrnoException).code === 'EISDIR' ? '; give the path of a private key file (one is made where none exists)' : '';
			throw new ServeError(`${what}: ${fileProblem(error)}${hint}`);
		}
		const directory = dirname(path);
		if (given && !existsSync(directory)) {
			throw new ServeError(`${what}: the directory ${JSON.stringify(directory)} does not exist; create it first or choose another path`);
		}
		const pair = newHostKey();
		try {
			if (!given) mkdirSync(directory, {recursive: true, mode: 0o700});
			writeFileSync(path, pair.private, {mode: 0o600, flag: 'wx'});
			chmodSync(path, 0o600);
		} catch (writeError) {
			throw new ServeError(`cannot create ${what}: ${fileProblem(writeError)}`);
		}
		text = pair.private;
		created = true;
	}
	const key = utils.parseKey(text);
	if (key instanceof Error && /encrypted/i.test(key.message)) {
		throw new ServeError(`${what} is encrypted with a passphrase; give a key without one (ssh-keygen -t ed25519 -N '' -f FILE)`);
	}
	if (key instanceof Error || Array.isArray(key)) {
		throw new ServeError(`${what} is not a private key gdrace can use (an OpenSSH or PEM ed25519, ECDSA or RSA key)`);
	}
	if (!key.isPrivateKey()) throw new ServeError(`${what} is a public key; give its private key (the file without .pub)`);
	return {key, text, created};
}

/**
 * A new ed25519 key in OpenSSH format. ssh2's generator writes a malformed key when the public
 * key starts with a zero byte (it drops the byte, about 1 key in 256): such keys are made again.
 */
function newHostKey(): {private: string} {
	for (let attempt = 0; attempt < 64; attempt++) {
		const pair = utils.generateKeyPairSync('ed25519');
		const parsed = utils.parseKey(pair.private);
		if (!(parsed instanceof Error) && !Array.isArray(parsed) && parsed.getPublicSSH().length === 51) return pair;
	}
	throw new ServeError('cannot create an ed25519 host key');
}

/** `SHA256:…` as `ssh-keygen -l` prints it. */
export function fingerprint(key: ParsedKey): string {
	return `SHA256:${createHash('sha256').update(key.getPublicSSH()).digest('base64').replace(/=+$/, '')}`;
}

/** The public keys of an OpenSSH authorized_keys file (options before the key type are skipped). */
export function loadAuthorizedKeys(path: string): ParsedKey[] {
	let text: string;
	try {
		text = readFileSync(path, 'utf8');
	} catch (error) {
		throw new ServeError(`--authorized-keys ${JSON.stringify(path)}: ${fileProblem(error)} (an OpenSSH authorized_keys file, e.g. ~/.ssh/authorized_keys)`);
	}
	const keys: ParsedKey[] = [];
	for (const line of text.split(/\r?\n/)) {
		const trimmed = line.trim();
		if (trimmed === '' || trimmed.startsWith('#')) continue;
		const fields = trimmed.split(/\s+/);
		const at = fields.findIndex((field) => /^(ssh-|ecdsa-|sk-)/.test(field));
		if (at === -1 || fields[at + 1] === undefined) continue;
		const key = utils.parseKey(`${fields[at]} ${fields[at + 1]}`);
		if (!(key instanceof Error) && !Array.isArray(key)) keys.push(key);
	}
	if (keys.length === 0) {
		const hint = /-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(text) ? ': it is a private key; give the public keys, one per line (the .pub files\' lines)' : '';
		throw new ServeError(`--authorized-keys ${JSON.stringify(path)} holds no public key${hint}`);
	}
	return keys;
}

/** An SSH channel as the FrameWriter's terminal: its size comes from pty and window-change requests. */
class ChannelTerminal extends EventEmitter implements TerminalStream {
	columns: number;
	rows: number;
	constructor(
		private readonly channel: ServerChannel,
		size: {cols: number; rows: number},
	) {
		super();
		this.columns = size.cols;
		this.rows = size.rows;
		channel.on('drain', () => this.emit('drain'));
		channel.once('close', () => clearTimeout(this.resizeTimer));
	}

	get writableNeedDrain(): boolean {
		return this.channel.writableNeedDrain;
	}

	write(data: string): boolean {
		if (this.channel.destroyed || this.channel.writableEnded) return true;
		return this.channel.write(data);
	}

	/**
	 * A window-change: applied at most every RESIZE_EVERY_MS, the newest size winning. A window
	 * dragged sends dozens a second; a client that sent thousands made the server lay the screen
	 * out again for each (0.2 frames/s for every other viewer).
	 */
	resize(size: {cols: number; rows: number}): void {
		this.pending = size;
		if (this.resizeTimer !== undefined) return;
		const apply = (): void => {
			const next = this.pending;
			this.pending = undefined;
			if (next === undefined || (next.cols === this.columns && next.rows === this.rows)) {
				this.resizeTimer = undefined;
				return;
			}
			this.columns = next.cols;
			this.rows = next.rows;
			this.emit('resize');
			// The next window-change waits its turn.
			this.resizeTimer = setTimeout(apply, RESIZE_EVERY_MS);
		};
		this.resizeTimer = setTimeout(apply, 0);
	}

	private pending: {cols: number; rows: number} | undefined;
	private resizeTimer: NodeJS.Timeout | undefined;
}

/** A pty's size, 80×24 for 0×0. */
function ptySize(info: {cols: number; rows: number}): {cols: number; rows: number} {
	if (!(info.cols > 0 && info.rows > 0)) return FALLBACK_SIZE;
	return {cols: Math.min(info.cols, MAX_VIEWER_SIZE.cols), rows: Math.min(info.rows, MAX_VIEWER_SIZE.rows)};
}

/** The pty's size as the viewer asked for it, and as drawn when that is smaller. */
function sizeText(info: {cols: number; rows: number}): string {
	const drawn = ptySize(info);
	return drawn.cols === info.cols && drawn.rows === info.rows ? `${info.cols}×${info.rows}` : `${info.cols}×${info.rows} (drawn at ${drawn.cols}×${drawn.rows})`;
}

/**
 * A viewer's keys, bytes a second, and the most at once. A person types a few keys a second (held,
 * about 30); a client that sends thousands in a burst made the server handle each one before
 * drawing anything (16 KB of `r` a few times a second: 0 frames/s for every other viewer).
 */
export const KEY_BYTES_PER_SECOND = 512;
export const KEY_BURST_BYTES = 256;

/**
 * The channel's bytes as the key stream Ink reads (a TTY as far as Ink can tell), at most
 * KEY_BYTES_PER_SECOND with bursts of KEY_BURST_BYTES: a piece of input past that is dropped
 * whole (never cut, which could split an escape sequence into other keys); `onDropped` is told
 * the first time.
 */
function keyStream(channel: ServerChannel, onDropped: () => void): NodeJS.ReadStream {
	const input = new PassThrough();
	Object.assign(input, {isTTY: true, setRawMode: () => input, ref: () => input, unref: () => input});
	let allowance = KEY_BURST_BYTES;
	let last = performance.now();
	let dropped = false;
	channel.on('data', (data: Buffer) => {
		const now = performance.now();
		allowance = Math.min(KEY_BURST_BYTES, allowance + ((now - last) * KEY_BYTES_PER_SECOND) / 1000);
		last = now;
		if (data.length > allowance) {
			if (!dropped) onDropped();
			dropped = true;
			return;
		}
		allowance -= data.length;
		input.write(data);
	});
	channel.on('close', () => input.end());
	return input as unknown as NodeJS.ReadStream;
}

/** Runs the server until a stop signal; resolves to the exit code. */
export async function runServe(config: Config, dataset: Dataset, options: ServeOptions, io: ServeIo): Promise<number> {
	const signals = io.signals ?? process;
	// --shared: this terminal shows the race (checked before a key is made or a port taken).
	let presenterIo: LiveIo | undefined;
	/** `--shared` with stdin a pipe or a file (`--data -`): the presenter's keys, from the controlling terminal. */
	let presenterKeys: NodeJS.ReadStream | undefined;
	if (options.shared) {
		if ((io.stdout as {isTTY?: boolean}).isTTY !== true) {
			throw new UsageError('serve --shared shows and steers the race on this terminal: its stdout must be a terminal (without --shared every viewer races their own race)');
		}
		// Not process.stdin unless it is a terminal: creating it would make a pipe non-blocking.
		let stdin = io.stdin ?? (isatty(0) ? process.stdin : undefined);
		if (stdin?.isTTY !== true) {
			// As the live screen does (cli/live.ts): the keys come from /dev/tty, the terminal the screen is on.
			presenterKeys = (io.keyboard ?? controllingTerminal)();
			if (presenterKeys === undefined) {
				throw new UsageError('serve --shared steers the race with keys from this terminal, and there is none to read them from: stdin is not a terminal and there is no controlling terminal (/dev/tty)');
			}
			stdin = presenterKeys;
		}
		presenterIo = {stdout: io.stdout as NodeJS.WriteStream, stdin, stderr: io.stderr, signals, ...(io.env['TERM'] === undefined ? {} : {term: io.env['TERM']})};
	}
	const shared = presenterIo === undefined ? undefined : {race: new SharedRace(), scheduler: createScheduler(config, dataset)};
	// Viewers racing their own races share one session's engine time: one who speeds up to the
	// top cannot slow every other screen down.
	const governor = new EngineGovernor();
	// Log lines would tear the presenter's screen when stderr is its terminal: they wait for it to close.
	const holdLog = shared !== undefined && (io.stderr as {isTTY?: boolean}).isTTY === true;
	let screenUp = false;
	const held: string[] = [];
	let heldDropped = 0;
	/**
	 * One line on stderr. `audience` lines (a viewer came or left) are dropped rather than held
	 * while the presenter's screen is up on that terminal: its footer counts the watchers live.
	 */
	const log = (line: string, audience = false): void => {
		const text = `gdrace serve: ${line}\n`;
		if (screenUp && holdLog) {
			if (audience) return;
			held.push(text);
			if (held.length > MAX_HELD_LOG) {
				held.shift();
				heldDropped++;
			}
			updateStatus();
			return;
		}
		io.stderr.write(text);
	};
	const hostKeyPath = options.hostKey ?? defaultHostKeyPath(io.env);
	const hostKey = loadHostKey(hostKeyPath, options.hostKey !== undefined);
	const allowed = options.authorizedKeys === undefined ? undefined : loadAuthorizedKeys(options.authorizedKeys);
	const sessions = new Set<{session?: Session; channel: ServerChannel}>();
	// Once the server is ending: the last line a viewer gets (one that comes now gets only it).
	let closing: {line: string; code: number} | undefined;
	let watchHint = '';
	const watchingCount = (): number => {
		let watching = 0;
		for (const entry of sessions) if (entry.session !== undefined) watching++;
		return watching;
	};
	const updateStatus = (): void => {
		if (shared === undefined) return;
		const watching = watchingCount();
		const waiting = held.length + heldDropped;
		shared.race.setStatus(`${watching} watching${watchHint}${waiting === 0 ? '' : ` · ${waiting} log line${waiting === 1 ? '' : 's'} held`}`);
	};

	const connections = new Set<Connection>();
	const server = new Server({hostKeys: [hostKey.text]}, (client: Connection, info) => {
		const who = `${info.ip}:${info.port}`;
		connections.add(client);
		client.on('close', () => connections.delete(client));
		let refusals = 0;
		let channels = 0;
		/** Logs a refused request; the MAX_REFUSALS-th closes the connection. */
		const refused = (line: string): void => {
			refusals++;
			log(line);
			if (refusals === MAX_REFUSALS) {
				log(`closed ${who}: ${MAX_REFUSALS} refused requests`);
				client.end();
			}
		};
		client.on('error', () => {
			// A client that vanished or sent garbage: only its connection ends.
		});
		client.on('authentication', (ctx: AuthContext) => {
			if (allowed === undefined) {
				ctx.accept();
				return;
			}
			if (ctx.method !== 'publickey') {
				ctx.reject(['publickey']);
				return;
			}
			const key = allowed.find((candidate) => candidate.type === ctx.key.algo && candidate.getPublicSSH().equals(ctx.key.data));
			if (key === undefined) {
				refused(`refused the key of ${ctx.username}@${who} (not in --authorized-keys)`);
				ctx.reject(['publickey']);
				return;
			}
			if (ctx.signature === undefined || ctx.blob === undefined) {
				ctx.accept();
				return;
			}
			if (key.verify(ctx.blob, ctx.signature, ctx.hashAlgo) === true) ctx.accept();
			else ctx.reject(['publickey']);
		});
		client.on('request', (_accept, reject, name) => {
			refused(`refused ${name} from ${who}`);
			reject?.();
		});
		client.on('tcpip', (_accept, reject) => {
			refused(`refused port forwarding (direct-tcpip) from ${who}`);
			reject();
		});
		client.on('openssh.streamlocal', (_accept, reject) => {
			refused(`refused socket forwarding from ${who}`);
			reject();
		});
		client.on('session', (acceptSession, rejectSession) => {
			if (channels >= MAX_CHANNELS) {
				refused(`refused a session past ${MAX_CHANNELS} on one connection from ${who}`);
				rejectSession();
				return;
			}
			channels++;
			const session = acceptSession();
			session.once('close', () => channels--);
			let size: {cols: number; rows: number} | undefined;
			/** The pty as the client gave it (for the log). */
			let asked: {cols: number; rows: number} | undefined;
			let terminal: ChannelTerminal | undefined;
			/** The viewer's terminal type: a `dumb` one cannot move its cursor, and gets the summary as without a pty. */
			let dumb = false;
			session.on('pty', (accept, _reject, ptyInfo) => {
				size = ptySize(ptyInfo);
				dumb = ptyInfo.term === 'dumb';
				asked = ptyInfo.cols > 0 && ptyInfo.rows > 0 ? {cols: ptyInfo.cols, rows: ptyInfo.rows} : size;
				accept?.();
			});
			session.on('window-change', (accept, _reject, change) => {
				size = ptySize(change);
				terminal?.resize(size);
				accept?.();
			});
			const refuse = (what: string) => (_accept: unknown, reject?: () => void) => {
				refused(`refused ${what} from ${who}`);
				reject?.();
			};
			session.on('exec', (_accept, reject, execInfo) => refuse(`exec ${JSON.stringify(execInfo.command)}`)(_accept, reject));
			session.on('subsystem', (_accept, reject, subsystemInfo) => refuse(`subsystem ${subsystemInfo.name}`)(_accept, reject));
			session.on('x11', refuse('X11 forwarding'));
			session.on('auth-agent', refuse('agent forwarding'));
			session.on('env', (_accept, reject, envInfo) => refuse(`env ${envInfo.key}`)(_accept, reject));
			session.on('signal', (_accept, reject, signalInfo) => refuse(`signal ${signalInfo.name}`)(_accept, reject));
			session.on('shell', (accept) => {
				loggedIn(who);
				const channel = accept();
				if (sessions.size >= options.maxSessions) {
					log(`server full (${options.maxSessions} viewers): closed ${who}`);
					channel.write(`server full, ${options.maxSessions} viewers\r\n`, () => {
						channel.exit(1);
						channel.end();
					});
					return;
				}
				channel.on('error', () => {});
				if (closing !== undefined) {
					const {line, code} = closing;
					channel.write(`${line}\r\n`, () => {
						channel.exit(code);
						channel.end();
					});
					return;
				}
				const entry: {session?: Session; channel: ServerChannel} = {channel};
				sessions.add(entry);
				const screenless = size === undefined ? 'without a pty' : dumb ? 'with a TERM=dumb terminal' : undefined;
				if (screenless !== undefined && shared !== undefined) {
					// No pty, one shared race: its summary as it stands.
					sessions.delete(entry);
					log(`viewer ${who} ${screenless}: sent the summary so far`, true);
					const {scheduler} = shared;
					const summary = formatSummary(scheduler.race.snapshot(), dataset, {color: false, tolerance: config.tolerance});
					channel.write(`The presenter's race${scheduler.race.over ? '' : ' so far'}:\n${summary}`, () => {
						channel.exit(0);
						channel.end();
					});
					return;
				}
				if (screenless !== undefined || size === undefined) {
					// No pty: the plain summary, raced without a screen.
					log(`viewer ${who} ${screenless}: racing for the plain summary`, true);
					const stop = new EventEmitter();
					channel.on('close', () => {
						stop.emit('SIGHUP');
						sessions.delete(entry);
					});
					void runHeadless({...config, mode: 'headless', output: 'summary', export: null, cast: null, color: false}, dataset, {
						stdout: channel,
						stderr: channel.stderr,
						signals: stop,
						governor,
					})
						.catch(() => EXIT.internal)
						.then((code) => {
							sessions.delete(entry);
							if (!channel.destroyed) {
								channel.exit(code);
								channel.end();
							}
						});
					return;
				}
				terminal = new ChannelTerminal(channel, size);
				const viewer = startSession({
					scheduler: shared?.scheduler ?? createScheduler(config, dataset),
					data: headerData(dataset),
					fps: config.fps,
					color: config.color,
					exitOnFinish: false,
					output: terminal,
					input: keyStream(channel, () => log(`viewer ${who} sends keys faster than ${KEY_BYTES_PER_SECOND} bytes a second: the excess is dropped`)),
					keys: true,
					mapAxes: config.map,
					...(shared === undefined ? {governor} : {share: {race: shared.race, role: 'watch' as const}}),
					view: config.view,
				});
				entry.session = viewer;
				updateStatus();
				const joined = performance.now();
				log(`viewer ${who} joined at ${sizeText(asked ?? size)} (${watchingCount()} watching)`, true);
				channel.on('close', () => viewer.stop());
				void viewer.done
					.catch(() => 'stopped' as const)
					.then(() => {
						sessions.delete(entry);
						updateStatus();
						log(`viewer ${who} left after ${formatDuration(performance.now() - joined)} (${watchingCount()} watching)`, true);
						if (!channel.destroyed && !channel.writableEnded) {
							channel.exit(0);
							channel.end();
						}
					});
			});
		});
	});

	// The TCP side is ours (ssh2 takes each socket through injectSocket), so that stopping can
	// close every connection, even one whose client never answers, and so that a connection
	// still logging in has a time limit and a bound on how many there are.
	const sockets = new Set<Socket>();
	/** Connections without a session yet, by the client's address and port, with their grace timers. */
	const loggingIn = new Map<string, NodeJS.Timeout>();
	const graceMs = io.loginGraceMs ?? LOGIN_GRACE_MS;
	// Connections turned away while too many are logging in: the first is logged, then a line a
	// second says how many more.
	let turnedAway = 0;
	let turnAwayTimer: NodeJS.Timeout | undefined;
	const turnAway = (who: string): void => {
		if (turnAwayTimer !== undefined) {
			turnedAway++;
			return;
		}
		log(`${MAX_LOGGING_IN} connections still logging in: closed ${who}`);
		const flush = (): void => {
			turnAwayTimer = undefined;
			if (turnedAway === 0) return;
			log(`${MAX_LOGGING_IN} connections still logging in: closed ${turnedAway} more`);
			turnedAway = 0;
			turnAwayTimer = setTimeout(flush, 1000);
		};
		turnAwayTimer = setTimeout(flush, 1000);
	};
	function loggedIn(who: string): void {
		clearTimeout(loggingIn.get(who));
		loggingIn.delete(who);
	}
	const tcp = createServer((socket) => {
		const who = `${socket.remoteAddress}:${socket.remotePort}`;
		socket.on('error', () => {});
		if (loggingIn.size >= MAX_LOGGING_IN) {
			socket.destroy();
			turnAway(who);
			return;
		}
		sockets.add(socket);
		const grace = setTimeout(() => {
			loggingIn.delete(who);
			log(`closed ${who}: no session ${formatDuration(graceMs)} after connecting`);
			socket.destroy();
		}, graceMs);
		loggingIn.set(who, grace);
		socket.on('close', () => {
			sockets.delete(socket);
			loggedIn(who);
		});
		server.injectSocket(socket);
	});
	const listening = new Promise<void>((resolve, reject) => {
		tcp.once('error', reject);
		tcp.listen(options.port, options.host, () => {
			tcp.off('error', reject);
			resolve();
		});
	});
	try {
		await listening;
	} catch (error) {
		throw new ServeError(`cannot listen on ${options.host}:${options.port}: ${listenProblem(error, options.port)}`);
	}
	tcp.on('error', (error: Error) => log(`server error: ${error.message}`));
	const address = tcp.address() as {address: string; port: number};
	io.stdout.write(
		`gdrace serve: listening on ${address.address}:${address.port} (${allowed === undefined ? 'anyone who can reach it may watch' : `${allowed.length} authorized key${allowed.length === 1 ? '' : 's'}`})\n` +
			`gdrace serve: host key ${hostKeyPath}${hostKey.created ? ' (created)' : ''}, fingerprint ${fingerprint(hostKey.key)}\n` +
			`gdrace serve: watch with  ssh -p ${address.port} ${address.address}\n`,
	);
	io.onListening?.({host: address.address, port: address.port});

	let stoppedBy: StopSignal | undefined;
	let code: number;
	if (shared !== undefined && presenterIo !== undefined) {
		// The presenter's screen until it quits, the race ends (--exit-on-finish) or a signal.
		watchHint = ` · ssh -p ${address.port} ${address.address}`;
		updateStatus();
		screenUp = true;
		try {
			// Its stdin is a terminal (descriptor 0 or /dev/tty, above): the keys are on.
			code = await runLive({...config, keys: true}, presenterIo, {dataset, scheduler: shared.scheduler, shared: shared.race});
		} catch (error) {
			screenUp = false;
			await stop('gdrace serve: the server is stopping', EXIT.internal, 'an internal error');
			throw error;
		} finally {
			presenterKeys?.destroy();
		}
		screenUp = false;
		if (heldDropped > 0) io.stderr.write(`gdrace serve: (${heldDropped} earlier log line${heldDropped === 1 ? '' : 's'} left out)\n`);
		for (const line of held.splice(0)) io.stderr.write(line);
		stoppedBy = STOP_SIGNALS.find((signal) => EXIT[signal] === code);
	} else {
		const removers: (() => void)[] = [];
		stoppedBy = await new Promise<StopSignal>((resolve) => {
			for (const signal of STOP_SIGNALS) {
				const listener = (): void => resolve(signal);
				signals.on(signal, listener);
				removers.push(() => signals.off(signal, listener));
			}
		});
		for (const remove of removers) remove();
		code = EXIT[stoppedBy];
	}
	if (stoppedBy === undefined) {
		// --exit-on-finish closes the screen by itself once the race is over; otherwise the presenter quit.
		const finished = config.exitOnFinish && shared?.scheduler.race.over === true;
		const why = finished ? 'the race is over' : 'the presenter ended the race';
		await stop(`gdrace: ${why}`, EXIT.ok, why);
	}
	else await stop('gdrace serve: the server is stopping', EXIT[stoppedBy], `stopping (${stoppedBy})`);
	return code;

	/** Tells every viewer `line`, closes their sessions with `exitCode`, then every connection. */
	async function stop(line: string, exitCode: number, why: string): Promise<void> {
		closing = {line, code: exitCode};
		log(`${why}: closing ${sessions.size} viewer session${sessions.size === 1 ? '' : 's'}`);
		for (const {session, channel} of sessions) {
			session?.stop();
			try {
				channel.write(`\r\n${line}\r\n`);
				channel.exit(exitCode);
				channel.end();
			} catch {
				// Already gone.
			}
		}
		tcp.close();
		// Give the goodbyes a moment to leave, then close every connection.
		await new Promise<void>((resolve) => setTimeout(resolve, 200));
		for (const client of connections) client.end();
		await new Promise<void>((resolve) => setTimeout(resolve, 300));
		for (const socket of sockets) socket.destroy();
		for (const who of [...loggingIn.keys()]) loggedIn(who);
		clearTimeout(turnAwayTimer);
	}
}
