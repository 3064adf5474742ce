/**
 * The headless mode (`--plain`, `--json`, `--log`, or stdout not a terminal): runs the race to its
 * end flat out, then writes the export and prints the summary.
 *
 * The work is cut into slices of about `WORK_SLICE_MS`, and the runner yields to the event loop
 * between them, so that SIGINT, SIGTERM and SIGHUP and a closed stdout pipe are handled within a
 * slice even in a 100,000,000-update run. A signal stops the race where it is; the export and the
 * summary are still written (marked as stopped), then the exit code is 128 + the signal number. A
 * closed pipe (EPIPE: `gdrace --plain | head -1`) stops the race quietly: the export, if any, is
 * still written, and the exit code is 0 (the reader chose to stop reading; that is not an error).
 *
 * `--log seed` runs the racers one after another (each block as the note printed it); the other
 * outputs run them together, round-robin (`Race.catchUp`), so that a run stopped early leaves every
 * racer at about the same point. Racers share no state, so for the iteration and samples clocks
 * both orders give bit-identical results.
 */
import {setImmediate as nextTurn, setTimeout as sleep} from 'node:timers/promises';
import type {Writable} from 'node:stream';
import type {Dataset} from '../data/dataset.js';
import {DataError} from '../data/dataset.js';
import {Race} from '../engine/race.js';
import type {Racer} from '../engine/racer.js';
import {ENGINE_SHARE, TICK_MS} from '../engine/governor.js';
import type {EngineGovernor} from '../engine/governor.js';
import type {Config} from './config.js';
import {raceConfig} from './config.js';
import {EXIT, ExportError, STOP_SIGNALS} from './errors.js';
import type {StopSignal} from './errors.js';
import {writeExport} from './export.js';
import {ndjsonPoint, seedFinalBanner, seedInitialBanner, seedIteration, seedRacerHeading} from './log.js';
import {Output} from './output.js';
import {formatJson, formatSummary} from './summary.js';
import type {ExportedFile} from './summary.js';

/** Longest stretch of racing between two looks at the event loop, ms. */
export const WORK_SLICE_MS = 20;

/**
 * History buckets per racer when exporting: every point is kept up to 2 × 65,536 updates per racer
 * (the book race's 85,000 mb-epoch updates included), decimated with spikes kept beyond. About
 * 4 MB per racer, against 0.13 MB for the engine's default of 2048.
 */
export const EXPORT_HISTORY_CAPACITY = 1 << 16;

/** Where the headless mode writes, and what signals it listens to (the process, unless a test passes its own). */
export type HeadlessIo = {
	/** Read when first written to: for the process, reading it makes the stream. */
	readonly stdout: Writable;
	readonly stderr: Writable;
	/**
	 * stdout's descriptor when it is a pipe, a socket, a file or /dev/null: the summary and the
	 * JSON, written once at the end, go there directly (see `Output`). @default through the stream
	 */
	readonly stdoutFd?: number;
	/** @default process */
	readonly signals?: NodeJS.EventEmitter;
	/**
	 * Race at a live session's pace, sharing engine time with the process's sessions (`gdrace
	 * serve`'s viewers without a pty), instead of flat out. @default flat out
	 */
	readonly governor?: EngineGovernor;
};

/** Runs the race without the live screen; resolves to the exit code. Throws DataError for data the engine cannot use. */
export async function runHeadless(config: Config, dataset: Dataset, io: HeadlessIo): Promise<number> {
	const race = createRace(config, dataset);
	// A line per update (--log) goes through the stream, which waits for a slow reader without
	// blocking the event loop (signals); a text written once at the end may go to the descriptor.
	const out = new Output(() => io.stdout, config.output === 'json' || config.output === 'summary' ? io.stdoutFd : undefined);
	const signals = io.signals ?? process;
	let stoppedBy: StopSignal | undefined;
	const listeners = STOP_SIGNALS.map((signal) => {
		const listener = (): void => {
			stoppedBy ??= signal;
		};
		signals.on(signal, listener);
		return () => signals.off(signal, listener);
	});
	const stopped = (): boolean => stoppedBy !== undefined || out.closed;

	try {
		if (config.output === 'seed') {
			await runOneByOne(race, config, out, stopped);
		} else {
			await runTogether(race, config, out, stopped, io.governor);
		}
		await out.flush();

		let code: number = stoppedBy === undefined ? EXIT.ok : EXIT[stoppedBy];
		let exported: ExportedFile | undefined;
		if (config.export !== null) {
			try {
				const rows = writeExport(config.export.path, race.racers, {force: config.export.force, format: config.export.format});
				exported = {path: config.export.path, rows};
			} catch (error) {
				if (!(error instanceof ExportError)) throw error;
				io.stderr.write(`gdrace: ${error.message}\n`);
				if (code === EXIT.ok) code = EXIT.data;
			}
		}

		// On a terminal the summary fits its width; into a pipe or a file it is never cut.
		const width = io.stdoutFd === undefined ? terminalWidth(io.stdout) : undefined;
		const options = {color: config.color, tolerance: config.tolerance, stoppedBy, exported, width};
		if (config.output === 'summary') out.write(formatSummary(race.snapshot(), dataset, options));
		if (config.output === 'json') out.write(formatJson(race.snapshot(), dataset, {tolerance: config.tolerance, stoppedBy, exported}));
		await out.flush();

		if (out.failure !== undefined) {
			io.stderr.write(`gdrace: cannot write to stdout: ${out.failure.message}\n`);
			if (code === EXIT.ok) code = EXIT.data;
		}
		return code;
	} finally {
		for (const remove of listeners) remove();
		out.dispose();
	}
}

/** The width of a terminal stream, or undefined for any other. */
function terminalWidth(stream: Writable): number | undefined {
	const terminal = stream as {readonly isTTY?: boolean; readonly columns?: number};
	return terminal.isTTY === true ? terminal.columns : undefined;
}

/** The engine's race for a config; a data set the engine refuses (values whose squares overflow) is a DataError. */
function createRace(config: Config, dataset: Dataset): Race {
	try {
		return new Race({
			...raceConfig(config, dataset),
			...(config.export === null ? {} : {historyCapacity: EXPORT_HISTORY_CAPACITY}),
			// The summaries read no history; the export and the ndjson log (its newest point) do.
			recordHistory: config.export !== null || config.output === 'ndjson',
		});
	} catch (error) {
		if (error instanceof RangeError) throw new DataError(`${dataset.source}: ${error.message}`);
		throw error;
	}
}

/** Every racer to the end, round-robin; `--log ndjson` prints a line per update. With a governor, at a live session's pace. */
async function runTogether(race: Race, config: Config, out: Output, stopped: () => boolean, governor?: EngineGovernor): Promise<void> {
	const unobserve =
		config.output === 'ndjson'
			? race.racers.map((racer) =>
					racer.observe({
						onUpdate: (r) => {
							const at = r.history.last();
							if (at !== undefined) out.write(ndjsonPoint(r.id, at, at.loss, r.weights, r.bias));
						},
					}),
				)
			: [];
	const seat = governor?.join();
	try {
		race.extend(config.epochs);
		for (;;) {
			const start = performance.now();
			const done = race.catchUp(start + (seat === undefined ? WORK_SLICE_MS : TICK_MS * ENGINE_SHARE * seat.share()));
			seat?.report(!done);
			if (done) break;
			await breathe(out);
			// Paced: the rest of the tick is the other sessions'.
			if (seat !== undefined) await sleep(Math.max(0, TICK_MS - (performance.now() - start)));
			if (stopped()) return;
		}
	} finally {
		seat?.leave();
		for (const remove of unobserve) remove();
	}
}

/** `--log seed`: one racer after another, each block as the study note printed it. */
async function runOneByOne(race: Race, config: Config, out: Output, stopped: () => boolean): Promise<void> {
	race.extend(config.epochs);
	const several = race.racers.length > 1;
	for (const [index, racer] of race.racers.entries()) {
		if (several) out.write(`${index > 0 ? '\n' : ''}${seedRacerHeading(racer.id, racer.name)}`);
		out.write(seedInitialBanner(racer.weights, racer.bias));
		const unobserve = racer.observe({
			onIteration: (r) => out.write(seedIteration(r.iterations, config.epochs, r.weights, r.bias, r.loss)),
		});
		try {
			while (!racer.advanceTo(race.target, race.clock, performance.now() + WORK_SLICE_MS)) {
				await breathe(out);
				if (stopped()) return;
			}
		} finally {
			unobserve();
		}
		if (stopped()) return;
		out.write(divergenceNote(racer) + seedFinalBanner(racer.weights, racer.bias));
		await breathe(out);
	}
}

/** A line (not in the note's format, which never diverged) saying where a racer blew up. */
function divergenceNote(racer: Racer): string {
	const at = racer.diverged;
	if (at === null) return '';
	return `# ${racer.id} diverged at iteration ${Math.ceil(at.iteration)}: the loss exploded, so the weights below are the last finite ones\n`;
}

/** Lets the event loop run (signals, pipe errors): waits for `drain` if stdout is behind, else one turn. */
async function breathe(out: Output): Promise<void> {
	if (out.congested) {
		await out.drained();
	} else {
		await nextTurn();
	}
}
