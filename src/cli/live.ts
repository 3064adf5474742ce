/**
 * The live screen's entry: builds the scheduler for a validated config, runs one live session
 * (ui/session.tsx) on the process's terminal, and on the way out restores the terminal, writes
 * the recording and the export, and prints the summary to the scrollback.
 *
 * Every way out runs the same steps: `q` and the Ctrl+C key (exit code 0), `--exit-on-finish`
 * (0), SIGINT, SIGTERM and SIGHUP (128 + n), and an internal error (70, one line on stderr).
 * The terminal is restored by the session's `FrameWriter.stop()`, which also runs on 'exit' as a
 * last resort. Imported dynamically: it loads React and Ink.
 */
import {closeSync, openSync} from 'node:fs';
import {isatty, ReadStream} from 'node:tty';
import type {Dataset} from '../data/dataset.js';
import type {Scheduler} from '../engine/scheduler.js';
import type {SharedRace} from '../ui/shared-race.js';
import {CastRecorder} from '../ui/terminal/cast.js';
import {startSession} from '../ui/session.js';
import {CastFile} from './cast-file.js';
import type {Config} from './config.js';
import {loadConfigDataset} from './config.js';
import {EXIT, ExportError, STOP_SIGNALS} from './errors.js';
import type {StopSignal} from './errors.js';
import {writeExport} from './export.js';
import {createScheduler, headerData} from './race-setup.js';
import {formatSummary} from './summary.js';
import type {ExportedFile, RecordedFile} from './summary.js';

/** The terminal streams the live screen uses (the process's, unless a test passes its own). */
export type LiveIo = {
	readonly stdout: NodeJS.WriteStream;
	readonly stdin: NodeJS.ReadStream;
	readonly stderr: NodeJS.WritableStream;
	/** Where the stop signals come from. @default process */
	readonly signals?: NodeJS.EventEmitter;
	/** The terminal type written in a recording's header. @default $TERM, else xterm-256color */
	readonly term?: string;
	/** Ctrl+Z: stops the process until it is continued. @default none: Ctrl+Z does nothing */
	readonly suspend?: () => void;
	/**
	 * Where keys come from when stdin is not a terminal (`cat data.csv | gdrace --data -`): a
	 * stream the session reads and then destroys, or undefined for none. @default none: keys off
	 */
	readonly keyboard?: () => NodeJS.ReadStream | undefined;
};

/** `gdrace serve --shared`: the race the server made, which this screen presents to the viewers. */
export type Presenting = {
	readonly dataset: Dataset;
	readonly scheduler: Scheduler;
	readonly shared: SharedRace;
};

/** The process's terminal; `stdout` and `stderr` as the command made them (with its error listeners: cli/main.ts). */
export function processLiveIo(stdout: NodeJS.WriteStream = process.stdout, stderr: NodeJS.WritableStream = process.stderr): LiveIo {
	return {
		stdout,
		stdin: process.stdin,
		stderr,
		term: process.env['TERM'],
		suspend: suspendProcessGroup,
		keyboard: controllingTerminal,
	};
}

/**
 * The process's controlling terminal, /dev/tty, for keys when stdin is a pipe or a file, as less
 * and fzf read it: the screen is on that terminal anyway, and keys typed there would otherwise be
 * echoed onto it. Undefined without one (a service, `setsid`, a container without a tty) and on
 * Windows, which has no /dev/tty: then the keys are off.
 */
export function controllingTerminal(): NodeJS.ReadStream | undefined {
	if (process.platform === 'win32') return undefined;
	let fd: number;
	try {
		fd = openSync('/dev/tty', 'r');
	} catch {
		return undefined;
	}
	if (!isatty(fd)) {
		closeSync(fd);
		return undefined;
	}
	return new ReadStream(fd);
}

/**
 * Stops this process and the rest of its process group (npm, the shell of `npm start`), as the
 * terminal does for Ctrl+Z when it is not in raw mode, so that the shell gets the terminal back
 * and `fg` continues them all; returns once continued. A group the shell does not control (no job
 * control) is not stopped at all: the screen is then simply drawn again.
 */
function suspendProcessGroup(): void {
	if (process.platform === 'win32') return;
	try {
		process.kill(0, 'SIGTSTP');
	} catch {
		// No such signal here, or not allowed: Ctrl+Z does nothing.
	}
}

/** Runs the live race screen until the user quits, the race ends (`--exit-on-finish`) or a signal; resolves to the exit code. */
export async function runLive(given: Config, terminal: LiveIo = processLiveIo(), presenting?: Presenting): Promise<number> {
	// stdin is not a terminal: the keys may still come from the controlling terminal.
	const keyboard = given.keys ? undefined : terminal.keyboard?.();
	const config = keyboard === undefined ? given : {...given, keys: true};
	const io = keyboard === undefined ? terminal : {...terminal, stdin: keyboard};
	const dataset = presenting?.dataset ?? loadConfigDataset(config);
	const scheduler = presenting?.scheduler ?? createScheduler(config, dataset);
	const signals = io.signals ?? process;
	// --cast: the session draws through a recorder that passes everything on to the terminal.
	const castFile = config.cast === null ? undefined : new CastFile(config.cast);
	const recorder =
		castFile === undefined ? undefined : new CastRecorder(castFile, {terminal: io.stdout, term: io.term ?? 'xterm-256color', title: 'gdrace'});
	let stoppedBy: StopSignal | undefined;

	// After a hang-up the terminal's streams fail with EIO: that must not become a crash.
	const ignore = (): void => {};
	io.stdin.on('error', ignore);
	// Keys typed while Ink starts would otherwise be echoed onto the screen by the cooked terminal;
	// Ink takes raw mode over when it reads keys, and turns it off on the way out.
	const rawEarly = config.keys && io.stdin.isTTY === true;
	if (rawEarly) io.stdin.setRawMode(true);
	const session = startSession({
		scheduler,
		data: headerData(dataset),
		fps: config.fps,
		color: config.color,
		exitOnFinish: config.exitOnFinish,
		finishHoldMs: config.hold * 1000,
		output: recorder ?? io.stdout,
		input: io.stdin,
		keys: config.keys,
		mapAxes: config.map,
		...(presenting === undefined ? {} : {share: {race: presenting.shared, role: 'present' as const}}),
		...(io.suspend === undefined || !config.keys ? {} : {suspend: io.suspend}),
		view: config.view,
	});
	const restore = (): void => session.writer.stop();
	process.on('exit', restore);
	// Continued after a stop from outside (kill -STOP, then -CONT): the screen may hold anything.
	// (Windows has no SIGCONT.)
	const redraw = (): void => session.writer.invalidate();
	const watchContinue = process.platform !== 'win32';
	if (watchContinue) signals.on('SIGCONT', redraw);
	const listeners = STOP_SIGNALS.map((signal) => {
		const listener = (): void => {
			stoppedBy ??= signal;
			session.stop();
		};
		signals.on(signal, listener);
		return () => signals.off(signal, listener);
	});

	let failure: unknown;
	try {
		await session.done;
	} catch (error) {
		failure = error;
	} finally {
		recorder?.finish();
		if (rawEarly && io.stdin.isTTY === true) {
			try {
				io.stdin.setRawMode(false);
			} catch {
				// The terminal is gone (a hang-up): nothing to restore.
			}
		}
		process.off('exit', restore);
		if (watchContinue) signals.off('SIGCONT', redraw);
		for (const remove of listeners) remove();
		io.stdin.off('error', ignore);
		keyboard?.destroy();
	}
	if (failure !== undefined) {
		castFile?.abort();
		throw failure;
	}

	let code: number = stoppedBy === undefined ? EXIT.ok : EXIT[stoppedBy];
	let recorded: RecordedFile | undefined;
	if (castFile !== undefined && recorder !== undefined) {
		try {
			castFile.finish();
			recorded = {path: castFile.path, seconds: recorder.duration};
		} catch (error) {
			if (!(error instanceof ExportError)) throw error;
			io.stderr.write(`gdrace: ${error.message}\n`);
			if (code === EXIT.ok) code = EXIT.data;
		}
	}
	let exported: ExportedFile | undefined;
	if (config.export !== null) {
		try {
			const rows = writeExport(config.export.path, scheduler.race.racers, {force: config.export.force, format: config.export.format});
			exported = {path: config.export.path, rows};
		} catch (error) {
			if (!(error instanceof ExportError)) throw error;
			io.stderr.write(`gdrace: ${error.message}\n`);
			if (code === EXIT.ok) code = EXIT.data;
		}
	}
	// It fits the terminal it is printed to (read now: it may have been resized during the race).
	const summary = {color: config.color, tolerance: config.tolerance, stoppedBy, quitEarly: true, exported, recorded, width: io.stdout.columns};
	io.stdout.write(formatSummary(scheduler.race.snapshot(), dataset, summary));
	return code;
}
