/**
 * One live session as a unit: the race screen for a scheduler, drawn through a FrameWriter on
 * any terminal stream, keys from any input stream, time from any clock. It touches no `process`
 * global: the entry layer wires it to a terminal, an SSH channel or a recording, and handles
 * signals, exit codes, the export and the summary.
 */
import {PassThrough} from 'node:stream';
import {render} from 'ink';
import type {Scheduler} from '../engine/scheduler.js';
import App from './App.js';
import type {AppProps, ExitReason} from './App.js';
import {realClock} from './clock.js';
import type {SessionClock} from './clock.js';
import type {HeaderData} from './components/Header.js';
import {LayerContext} from './components/layer-context.js';
import type {EngineGovernor} from '../engine/governor.js';
import type {ShareRole} from './shared-race.js';
import {FrameWriter} from './terminal/frame-writer.js';
import type {TerminalStream} from './terminal/frame-writer.js';

/** What a session shows and how. */
export type SessionOptions = {
	readonly scheduler: Scheduler;
	readonly data: HeaderData;
	readonly fps: number;
	readonly color: boolean;
	/** Quit by itself once the race is over, after `finishHoldMs`. */
	readonly exitOnFinish: boolean;
	readonly finishHoldMs?: number;
	/** Where frames go (its `columns`, `rows` and 'resize' are the size source). */
	readonly output: TerminalStream;
	/** Where keys come from (a TTY-like stream with `setRawMode`); none: the screen only shows the race. */
	readonly input?: NodeJS.ReadStream;
	/** Read keys from `input`. @default whether there is an input */
	readonly keys?: boolean;
	/** The footer lists the keys even without input (see App). @default false */
	readonly footerKeys?: boolean;
	/** The map's feature axes (see App). */
	readonly mapAxes?: AppProps['mapAxes'];
	/** What the chart's area opens on (see App). */
	readonly view?: AppProps['view'];
	/** @default realClock */
	readonly clock?: SessionClock;
	/** Present or watch a shared race (see App). @default the session races on its own */
	readonly share?: ShareRole;
	/** Shares engine time with the process's other sessions (see engine/governor.ts). @default none */
	readonly governor?: EngineGovernor;
	/**
	 * Ctrl+Z: stops the process until it is continued (`fg`). The session leaves the screen first
	 * and draws it again afterwards. @default none: Ctrl+Z does nothing
	 */
	readonly suspend?: () => void;
};

/** A running session. */
export type Session = {
	/** Resolves when the session ends by itself (`q`, Ctrl+C, the finish) or is stopped. */
	readonly done: Promise<ExitReason | 'stopped'>;
	/** Ends the session: the terminal is restored at once. Idempotent. */
	stop(): void;
	/** The frame writer (its `stop` restores the terminal; safe from a signal handler). */
	readonly writer: FrameWriter;
};

/**
 * Ctrl+Z: the terminal as the shell expects it (the screen left, cursor shown, raw mode off),
 * `suspend` (which returns once the process is continued), then raw mode and the screen again,
 * drawn in full (the shell wrote over it).
 */
function suspendSession(writer: FrameWriter, input: NodeJS.ReadStream | undefined, suspend: () => void): void {
	const raw = input?.isTTY === true && input.isRaw === true;
	writer.stop();
	if (raw) input.setRawMode(false);
	try {
		suspend();
	} finally {
		if (raw) input.setRawMode(true);
		writer.start();
	}
}

/** Starts a session (see the module comment). */
export function startSession(options: SessionOptions): Session {
	const writer = new FrameWriter(options.output, {color: options.color});
	let reason: ExitReason | 'stopped' = 'stopped';
	const restore = (): void => writer.stop();
	writer.start();
	const input = options.input ?? (new PassThrough() as unknown as NodeJS.ReadStream);
	// Ink's stderr (the app never writes to it): nowhere.
	const stderr = new PassThrough();
	stderr.resume();
	const app = render(
		<LayerContext.Provider value={writer}>
			<App
				scheduler={options.scheduler}
				data={options.data}
				fps={options.fps}
				color={options.color}
				keys={options.keys ?? options.input !== undefined}
				{...(options.mapAxes === undefined ? {} : {mapAxes: options.mapAxes})}
				{...(options.share === undefined ? {} : {share: options.share})}
				{...(options.governor === undefined ? {} : {governor: options.governor})}
				{...(options.view === undefined ? {} : {view: options.view})}
				footerKeys={options.footerKeys ?? false}
				exitOnFinish={options.exitOnFinish}
				{...(options.finishHoldMs === undefined ? {} : {finishHoldMs: options.finishHoldMs})}
				clock={options.clock ?? realClock}
				{...(options.suspend === undefined ? {} : {onSuspend: () => suspendSession(writer, options.input, options.suspend!)})}
				onExit={(why) => {
					reason = why;
					// Leave the screen before Ink's unmount renders a last frame with the layers gone.
					restore();
				}}
			/>
		</LayerContext.Provider>,
		{stdout: writer.asStdout(), stdin: input, stderr: stderr as unknown as NodeJS.WriteStream, debug: true, patchConsole: false, exitOnCtrlC: false},
	);
	const done = app
		.waitUntilExit()
		.then(() => reason)
		.finally(() => {
			app.cleanup();
			writer.dispose();
		});
	return {
		done,
		writer,
		stop() {
			restore();
			app.unmount();
		},
	};
}
