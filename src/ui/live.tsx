/**
 * The live screen's entry: builds the scheduler for a validated config, draws the Ink app through
 * a FrameWriter on the terminal, and on the way out restores the terminal, prints the summary to
 * the scrollback and writes the export.
 *
 * Every way out runs the same steps: `q` and the Ctrl+C key (exit code 0), `--exit-on-finish`
 * (0), SIGINT, SIGTERM and SIGHUP (128 + n), and an internal error (70, one line on stderr).
 * The terminal is restored by `FrameWriter.stop()`, which also runs on 'exit' as a last resort.
 */
import {basename} from 'node:path';
import {render} from 'ink';
import {DataError} from '../data/dataset.js';
import type {Dataset} from '../data/dataset.js';
import {Scheduler} from '../engine/scheduler.js';
import type {Config} from '../cli/config.js';
import {loadConfigDataset, raceConfig} from '../cli/config.js';
import {EXIT, ExportError, STOP_SIGNALS} from '../cli/errors.js';
import type {StopSignal} from '../cli/errors.js';
import {CastFile} from '../cli/cast-file.js';
import {writeExport} from '../cli/export.js';
import {EXPORT_HISTORY_CAPACITY} from '../cli/headless.js';
import {formatSummary} from '../cli/summary.js';
import type {ExportedFile, RecordedFile} from '../cli/summary.js';
import App from './App.js';
import {LayerContext} from './components/layer-context.js';
import {CastRecorder} from './terminal/cast.js';
import {FrameWriter} from './terminal/frame-writer.js';

/** The terminal streams the live screen uses (the process's, unless a test passes its own). */
export type LiveIo = {
	readonly stdout: NodeJS.WriteStream;
	readonly stdin: NodeJS.ReadStream;
	readonly stderr: NodeJS.WritableStream;
	/** Where the stop signals come from. @default process */
	readonly signals?: NodeJS.EventEmitter;
};

function processLiveIo(): LiveIo {
	return {stdout: process.stdout, stdin: process.stdin, stderr: process.stderr};
}

/** The scheduler for a config; a data set the engine refuses is a DataError, as in the headless mode. */
function createScheduler(config: Config, dataset: Dataset): Scheduler {
	try {
		return new Scheduler(
			{...raceConfig(config, dataset), ...(config.export === null ? {} : {historyCapacity: EXPORT_HISTORY_CAPACITY})},
			{speed: config.speed},
		);
	} catch (error) {
		if (error instanceof RangeError) throw new DataError(`${dataset.source}: ${error.message}`);
		throw error;
	}
}

/** Runs the live race screen until the user quits, the race ends (`--exit-on-finish`) or a signal; resolves to the exit code. */
export async function runLive(config: Config, io: LiveIo = processLiveIo()): Promise<number> {
	const dataset = loadConfigDataset(config);
	const scheduler = createScheduler(config, dataset);
	const signals = io.signals ?? process;
	// --cast: the frame writer draws through a recorder that passes everything on to the terminal.
	const castFile = config.cast === null ? undefined : new CastFile(config.cast);
	const recorder =
		castFile === undefined ? undefined : new CastRecorder(castFile, {terminal: io.stdout, term: process.env['TERM'] ?? 'xterm-256color', title: 'gdrace'});
	const writer = new FrameWriter(recorder ?? io.stdout, {color: config.color});
	let stoppedBy: StopSignal | undefined;

	const restore = (): void => writer.stop();
	process.on('exit', restore);
	// After a hang-up the terminal's streams fail with EIO: that must not become a crash.
	const ignore = (): void => {};
	io.stdin.on('error', ignore);

	// Keys typed while Ink starts would otherwise be echoed onto the screen by the cooked terminal;
	// Ink takes raw mode over when it reads keys, and turns it off on the way out.
	const rawEarly = config.keys && io.stdin.isTTY === true;
	if (rawEarly) io.stdin.setRawMode(true);
	writer.start();
	const app = render(
		<LayerContext.Provider value={writer}>
			<App
				scheduler={scheduler}
				data={{
					name: basename(dataset.source),
					rows: dataset.rows,
					features: dataset.features,
					target: dataset.target,
					scale: dataset.scale,
				}}
				fps={config.fps}
				color={config.color}
				keys={config.keys}
				exitOnFinish={config.exitOnFinish}
				mapAxes={config.map}
				finishHoldMs={config.hold * 1000}
				// Leave the screen before Ink's unmount renders a last frame with the layers gone.
				onExit={restore}
			/>
		</LayerContext.Provider>,
		{stdout: writer.asStdout(), stdin: io.stdin, stderr: io.stderr as NodeJS.WriteStream, debug: true, patchConsole: false, exitOnCtrlC: false},
	);

	const listeners = STOP_SIGNALS.map((signal) => {
		const listener = (): void => {
			stoppedBy ??= signal;
			restore();
			app.unmount();
		};
		signals.on(signal, listener);
		return () => signals.off(signal, listener);
	});

	let failure: unknown;
	try {
		await app.waitUntilExit();
	} catch (error) {
		failure = error;
	} finally {
		app.cleanup();
		writer.dispose();
		recorder?.finish();
		if (rawEarly && io.stdin.isTTY === true) {
			try {
				io.stdin.setRawMode(false);
			} catch {
				// The terminal is gone (a hang-up): nothing to restore.
			}
		}
		process.off('exit', restore);
		for (const remove of listeners) remove();
		io.stdin.off('error', ignore);
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
	io.stdout.write(formatSummary(scheduler.race.snapshot(), dataset, {color: config.color, tolerance: config.tolerance, stoppedBy, quitEarly: true, exported, recorded}));
	return code;
}
