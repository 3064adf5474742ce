/**
 * The command line from argv to exit code: parse → config → load data → headless race, or the
 * live screen when stdout is a terminal and no headless flag is given. The live screen is
 * imported dynamically so that the headless path never loads React or Ink.
 *
 * Every failure becomes one line on stderr and an exit code (`EXIT` in errors.ts); nothing here
 * lets a stack trace reach the user (`GDRACE_DEBUG=1` shows one for an internal error).
 */
import {closeSync} from 'node:fs';
import type {Writable} from 'node:stream';
import {DataError} from '../data/dataset.js';
import {loadArgs} from './args-loader.js';
import {quickParse} from './flags.js';
import type {ParseOptions, ParseResult} from './flags.js';
import type {Config, Environment} from './config.js';
import {loadConfigDataset, toConfig} from './config.js';
import {EXIT, ExportError, UsageError, errorCode, oneLine} from './errors.js';
import {isPlainSink, isTerminal} from './descriptors.js';
import {runHeadless} from './headless.js';
import {parseServeArgs, serveHelp} from './serve-args.js';
import {stdoutClosed, writeText} from './output.js';

/** The process's streams and environment, passed in so that tests can run `main` in-process. */
export type Io = Environment & {
	readonly stdout: Writable & {readonly columns?: number};
	readonly stderr: Writable;
	/** stdout was closed when the process started (`>&-`): nothing printed could be seen. @default false */
	readonly stdoutClosed?: boolean;
	/** stdout's descriptor, when it is a pipe, a socket, a file or /dev/null (see `HeadlessIo`). @default none */
	readonly stdoutFd?: number;
};

/**
 * The running process's streams and environment. Each of `process.stdout` and `process.stderr`
 * is made when first read here, and from then on `onError` listens for its errors: for a pipe,
 * making one loads Node's net module and the streams (3–4 ms of `gdrace --json | jq` on Node 20),
 * and a run that only prints its summary there writes to the descriptor instead.
 */
export function processIo(onError?: (error: Error) => void): Io & {readonly release: () => void; readonly streamMade: () => boolean} {
	const listened = new Set<NodeJS.WriteStream>();
	let streamMade = false;
	const made = (stream: NodeJS.WriteStream): NodeJS.WriteStream => {
		streamMade = true;
		if (onError !== undefined && !listened.has(stream)) {
			listened.add(stream);
			stream.on('error', onError);
		}
		return stream;
	};
	let stdoutIsTTY: boolean | undefined;
	let stdinIsTTY: boolean | undefined;
	return {
		get stdout() {
			return made(process.stdout);
		},
		get stderr() {
			return made(process.stderr);
		},
		get stdoutIsTTY() {
			return (stdoutIsTTY ??= isTerminal(1));
		},
		// Not process.stdin.isTTY: creating process.stdin makes a pipe non-blocking (`--data -` reads it).
		get stdinIsTTY() {
			return (stdinIsTTY ??= isTerminal(0));
		},
		env: process.env,
		stdoutClosed: stdoutClosed(),
		...(isPlainSink(1) ? {stdoutFd: 1} : {}),
		/** Whether process.stdout or process.stderr was made (so writes may still be queued there). */
		streamMade: () => streamMade,
		/** Stops listening to the streams made so far. */
		release: () => {
			for (const stream of listened) stream.off('error', onError!);
			listened.clear();
		},
	};
}

/** Runs gdrace for the arguments after `node script`; resolves to the exit code. Never throws. */
export async function main(argv: readonly string[], io: Io = processIo()): Promise<number> {
	return (await runCommand(argv, io, false)) ?? EXIT.internal;
}

/**
 * The command; with `headlessOnly`, resolves to undefined, having done nothing that shows (nothing
 * written, no data read), when the arguments ask for the live screen, `--render` or `serve`.
 */
async function runCommand(argv: readonly string[], io: Io, headlessOnly: boolean): Promise<number | undefined> {
	const say = (line: string): void => {
		io.stderr.write(`gdrace: ${line}\n`);
	};
	try {
		if (argv[0] === 'serve') return headlessOnly ? undefined : await serve(argv.slice(1), io);
		const parsed = await parseCommandLine(argv, () => ({width: helpWidth(io)}));
		if (parsed.kind === 'error') {
			say(parsed.message);
			return EXIT.usage;
		}
		if (parsed.kind === 'help' || parsed.kind === 'version') {
			if (io.stdoutClosed === true) return closedStdout(say);
			const error = await writeText(io.stdout, `${parsed.text}\n`);
			// A reader that stops early (`gdrace --help | head -3`, EPIPE) chose to: not an error.
			if (error === undefined || errorCode(error) === 'EPIPE') return EXIT.ok;
			say(`cannot write to stdout: ${oneLine(error.message)}`);
			return EXIT.data;
		}
		const config: Config = toConfig(parsed.args, io);
		// A run that writes a file (--export, --cast) loses only its summary to a closed stdout: that
		// is how a script discards it (Python's subprocess.DEVNULL looks the same as `>&-`).
		if (io.stdoutClosed === true && config.export === null && config.cast === null) return closedStdout(say);
		if (headlessOnly && config.mode !== 'headless') return undefined;
		const dataset = loadConfigDataset(config);
		if (config.mode === 'live') {
			// React's development build costs several times the CPU per frame; it is for React's own
			// debugging. The bundle in dist/ has the production build compiled in (src/build/build.mjs);
			// this picks it when the sources run unbundled. (Through a variable: the bundler replaces
			// `process.env.NODE_ENV` itself with a constant.)
			const env = process.env;
			env['NODE_ENV'] ??= 'production';
			// Ink's styles come from chalk, which reads --no-color from argv and then drops bold, dim
			// and inverse too (the only pause cue without color). The frame writer decides about
			// color (config.color), so chalk always styles: FORCE_COLOR outranks chalk's flag check.
			process.env['FORCE_COLOR'] = '3';
			const {processLiveIo, runLive} = await import('./live.js');
			return await runLive(config, processLiveIo(io.stdout as NodeJS.WriteStream, io.stderr));
		}
		if (config.mode === 'render') {
			const env = process.env;
			env['NODE_ENV'] ??= 'production';
			process.env['FORCE_COLOR'] = '3';
			const {runRender} = await import('./render.js');
			return await runRender(config, dataset, io);
		}
		return await runHeadless(config, dataset, io);
	} catch (error) {
		if (error instanceof UsageError) {
			say(error.message);
			return EXIT.usage;
		}
		if (error instanceof DataError || error instanceof ExportError) {
			say(oneLine(error.message));
			return EXIT.data;
		}
		reportInternal(error, io);
		return EXIT.internal;
	}
}

/**
 * The width `--help` is wrapped to: the terminal's, at most 100 columns (100 when stdout is not a
 * terminal) and at least 30, below which a wrapped help is no longer readable anyway.
 */
function helpWidth(io: Io): number {
	return Math.max(30, Math.min(100, io.stdout.columns ?? 100));
}

/** `parseArgs`, with yargs loaded (and `options` asked for) only for a command line that `quickParse` leaves to it. */
async function parseCommandLine(argv: readonly string[], options: () => ParseOptions): Promise<ParseResult> {
	// yargsOnly: the plain reading has just given up, parseArgs need not try it again.
	return quickParse(argv) ?? (await loadArgs()).parseArgs(argv, {...options(), yargsOnly: true});
}

/**
 * `gdrace serve …`: the server's flags, then race flags validated as for a terminal (every viewer
 * has one); the server itself is imported dynamically (ssh2, React, Ink).
 */
async function serve(argv: readonly string[], io: Io): Promise<number> {
	const taken = parseServeArgs(argv);
	if (taken.kind === 'help') {
		io.stdout.write(`${serveHelp(helpWidth(io))}\n`);
		return EXIT.ok;
	}
	const parsed = await parseCommandLine(taken.rest, () => ({serve: true}));
	if (parsed.kind === 'error') throw new UsageError(parsed.message);
	if (parsed.kind === 'version') {
		io.stdout.write(`${parsed.text}\n`);
		return EXIT.ok;
	}
	if (parsed.kind !== 'run') throw new UsageError('gdrace serve takes race flags; see gdrace serve --help and gdrace --help');
	const {plain, json, log, export: exportPath, cast, render} = parsed.args;
	if (plain || json || log !== undefined || exportPath !== undefined || cast !== undefined || render) {
		throw new UsageError('gdrace serve takes race and screen flags only (not --plain, --json, --log, --export, --cast, --render)');
	}
	// The server's own TERM says nothing of the viewers' terminals (colors: the flags, NO_COLOR and FORCE_COLOR still count).
	// stdin as it is: `--data -` reads a pipe, not the terminal (the presenter's keys: runServe).
	const config = toConfig(parsed.args, {...io, env: {...io.env, TERM: undefined}, stdoutIsTTY: true});
	const dataset = loadConfigDataset(config);
	const env = process.env;
	env['NODE_ENV'] ??= 'production';
	process.env['FORCE_COLOR'] = '3';
	const {runServe, ServeError} = await import('./serve.js');
	try {
		return await runServe(config, dataset, taken.options, {stdout: io.stdout, stderr: io.stderr, env: io.env});
	} catch (error) {
		if (error instanceof ServeError) {
			io.stderr.write(`gdrace serve: ${oneLine(error.message)}\n`);
			return EXIT.data;
		}
		throw error;
	}
}

/** stdout was closed (`>&-`): one line, exit 1, before any racing (Node would discard every write). */
function closedStdout(say: (line: string) => void): number {
	say('cannot write to stdout: it is closed (>&-, or a read-write /dev/null stands in for it); redirect it to a file, or > /dev/null to discard the output');
	return EXIT.data;
}

/** `gdrace: internal error: <message>`, and the stack only with `GDRACE_DEBUG=1`. */
export function reportInternal(error: unknown, io: Pick<Io, 'stderr' | 'env'>): void {
	const message = error instanceof Error ? error.message : String(error);
	io.stderr.write(`gdrace: internal error: ${oneLine(message)}\n`);
	if (io.env.GDRACE_DEBUG === '1' && error instanceof Error && error.stack !== undefined) io.stderr.write(`${error.stack}\n`);
}

/**
 * The process entry: runs `main`, sets the exit code and lets the process end by itself (so that
 * everything written to a pipe is flushed). Errors that escape every handler, and write errors on
 * stdout and stderr that nothing else listens for (EPIPE), never print a stack trace.
 */
export function run(argv: readonly string[]): void {
	void runProcess(argv, false);
}

/**
 * `run` for the headless modes only, which the fast start runs from a V8 code cache (src/cli.ts):
 * resolves to false, having changed nothing in the process, when the arguments ask for another
 * mode (the live screen, `--render`, `serve`); `run` then takes over.
 */
export function runHeadlessOnly(argv: readonly string[]): Promise<boolean> {
	return runProcess(argv, true);
}

async function runProcess(argv: readonly string[], headlessOnly: boolean): Promise<boolean> {
	// Listens to the standard streams' errors: the headless output and the live screen watch
	// their own, and this swallows the rest (an EPIPE after the output is done, say).
	const swallow = (): void => {};
	const io = processIo(swallow);
	const crash = (error: unknown): void => {
		// A write to a closed pipe that surfaced here is the reader's choice, not a bug.
		if (errorCode(error) === 'EPIPE') {
			process.exit(process.exitCode ?? EXIT.ok);
		}
		reportInternal(error, io);
		process.exit(EXIT.internal);
	};
	process.on('uncaughtException', crash);
	process.on('unhandledRejection', crash);
	// Which standard streams are terminals, asked of the descriptors: creating process.stdin to
	// ask it would make a piped stdin non-blocking (`--data -` reads it synchronously).
	const wasTerminal = [0, 1, 2].map((fd) => isTerminal(fd));
	const code = await runCommand(argv, io, headlessOnly);
	if (code === undefined) {
		// Handed to the full command, which listens with its own.
		process.off('uncaughtException', crash);
		process.off('unhandledRejection', crash);
		io.release();
		return false;
	}
	process.exitCode = code;
	releaseLostTerminal(wasTerminal);
	if (headlessOnly && !io.streamMade()) {
		// Everything this run wrote went out with writeSync (no stream was made, so nothing is
		// queued), and a headless run leaves nothing else behind: exiting here skips what Node
		// does after a natural exit (freeing the environment and V8's heap), 2–5 ms of
		// `gdrace --json` on Node 20. The 'exit' listeners run as ever (the code cache is written).
		process.exit(code);
	}
	return true;
}

/**
 * After a hang-up (the terminal or SSH link went away) the standard streams that were the
 * terminal fail with EIO, and Node 20 then aborts at exit (SIGABRT instead of the exit code)
 * because it cannot restore their terminal modes (nodejs/node#51519, fixed in later Node
 * versions). Nothing can be written there any more: closing them makes Node skip them.
 */
function releaseLostTerminal(wasTerminal: readonly boolean[]): void {
	wasTerminal.forEach((terminal, fd) => {
		if (!terminal || isTerminal(fd)) return;
		try {
			closeSync(fd);
		} catch {
			// Already closed.
		}
	});
}
