/**
 * `--cast FILE --render`: the whole race rendered offline into a recording, without a terminal.
 * The live session runs on a virtual clock (ui/clock.ts) at `--fps` and `--speed`, drawing at
 * `--cols` × `--rows` into a CastRecorder, as fast as the machine draws; it ends on the finished
 * race, held `--hold` seconds. The same seed and flags give the same events byte for byte (the
 * header's timestamp aside): virtual time stands still while the engine works, so each frame
 * shows exactly the race's state at its time. (`--clock time` measures real CPU time, so its
 * recordings differ from run to run.)
 *
 * Imported dynamically (it loads React and Ink); prints the summary (or `--json`) at the end.
 */
import type {Writable} from 'node:stream';
import type {Dataset} from '../data/dataset.js';
import {VirtualClock} from '../ui/clock.js';
import {startSession} from '../ui/session.js';
import {CastRecorder} from '../ui/terminal/cast.js';
import {CastFile} from './cast-file.js';
import type {Config} from './config.js';
import {EXIT, ExportError, STOP_SIGNALS} from './errors.js';
import type {StopSignal} from './errors.js';
import {writeExport} from './export.js';
import {createScheduler, headerData} from './race-setup.js';
import {formatJson, formatSummary} from './summary.js';
import type {ExportedFile, RecordedFile} from './summary.js';

/** The streams and signal source a render uses. */
export type RenderIo = {
	readonly stdout: Writable;
	readonly stderr: Writable;
	/** Where the stop signals come from. @default process */
	readonly signals?: NodeJS.EventEmitter;
};

/** Renders the race into `config.cast`; resolves to the exit code. */
export async function runRender(config: Config, dataset: Dataset, io: RenderIo): Promise<number> {
	if (config.cast === null) throw new Error('--render without --cast');
	const scheduler = createScheduler(config, dataset);
	const file = new CastFile(config.cast);
	const clock = new VirtualClock();
	const {cols, rows} = config.renderSize;
	const recorder = new CastRecorder(file, {size: {columns: cols, rows}, now: () => clock.now(), term: 'xterm-256color', title: 'gdrace'});
	const session = startSession({
		scheduler,
		data: headerData(dataset),
		fps: config.fps,
		color: config.color,
		exitOnFinish: true,
		finishHoldMs: config.hold * 1000,
		output: recorder,
		clock,
		mapAxes: config.map,
		view: config.view,
		// A recording shows the keys the live screen offers, not that no one types into the render.
		footerKeys: true,
	});
	let stoppedBy: StopSignal | undefined;
	const signals = io.signals ?? process;
	const listeners = STOP_SIGNALS.map((signal) => {
		const listener = (): void => {
			stoppedBy ??= signal;
			session.stop();
		};
		signals.on(signal, listener);
		return () => signals.off(signal, listener);
	});
	try {
		await session.done;
	} catch (error) {
		file.abort();
		throw error;
	} finally {
		for (const remove of listeners) remove();
	}
	recorder.finish();
	if (stoppedBy !== undefined) {
		// An unfinished render is not a recording of the race: nothing is left behind.
		file.abort();
		io.stderr.write(`gdrace: the render was stopped by ${stoppedBy}; nothing was written\n`);
		return EXIT[stoppedBy];
	}

	let code: number = EXIT.ok;
	let recorded: RecordedFile | undefined;
	try {
		file.finish();
		recorded = {path: file.path, seconds: recorder.duration};
	} catch (error) {
		if (!(error instanceof ExportError)) throw error;
		io.stderr.write(`gdrace: ${error.message}\n`);
		code = EXIT.data;
	}
	let exported: ExportedFile | undefined;
	if (config.export !== null) {
		try {
			const exportRows = writeExport(config.export.path, scheduler.race.racers, {force: config.export.force, format: config.export.format});
			exported = {path: config.export.path, rows: exportRows};
		} catch (error) {
			if (!(error instanceof ExportError)) throw error;
			io.stderr.write(`gdrace: ${error.message}\n`);
			code = EXIT.data;
		}
	}
	const snapshot = scheduler.race.snapshot();
	io.stdout.write(
		config.output === 'json'
			? formatJson(snapshot, dataset, {tolerance: config.tolerance, exported})
			: formatSummary(snapshot, dataset, {color: config.color, tolerance: config.tolerance, exported, recorded}),
	);
	return code;
}
