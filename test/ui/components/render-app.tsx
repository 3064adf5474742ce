/**
 * Helpers for the component tests: a race built the way the CLI builds it (flags → config →
 * bundled data → scheduler), and the live App rendered through ink-testing-library without a
 * layer sink, so the chart's plot is part of the text frame.
 */
import {basename} from 'node:path';
import {stripVTControlCharacters} from 'node:util';
import {render} from 'ink-testing-library';
import {vi} from 'vitest';
import {parseArgs} from '../../../src/cli/args.js';
import type {Config} from '../../../src/cli/config.js';
import {loadConfigDataset, raceConfig, toConfig} from '../../../src/cli/config.js';
import type {Dataset} from '../../../src/data/dataset.js';
import {Scheduler} from '../../../src/engine/scheduler.js';
import type {SchedulerOptions} from '../../../src/engine/scheduler.js';
import type {EngineGovernor} from '../../../src/engine/governor.js';
import App from '../../../src/ui/App.js';
import type {ExitReason} from '../../../src/ui/App.js';
import type {HeaderData} from '../../../src/ui/components/Header.js';
import type {ShareRole} from '../../../src/ui/shared-race.js';
import {calculateLayout} from '../../../src/ui/layout.js';
import type {FullLayout, TableColumn} from '../../../src/ui/layout.js';

/** A race as the live screen gets it. */
export type TestRace = {
	readonly config: Config;
	readonly dataset: Dataset;
	readonly scheduler: Scheduler;
	readonly data: HeaderData;
};

/**
 * The race `gdrace <argv>` would show, on the bundled data unless `--data` says otherwise.
 * Paused by default, so that nothing moves unless a test moves it.
 */
export function raceFromArgs(argv: readonly string[] = [], options: SchedulerOptions = {paused: true}): TestRace {
	const parsed = parseArgs(argv);
	if (parsed.kind !== 'run') throw new Error(`raceFromArgs: ${JSON.stringify(parsed)}`);
	const config = toConfig(parsed.args, {stdoutIsTTY: true, stdinIsTTY: true, env: {}});
	const dataset = loadConfigDataset(config);
	const scheduler = new Scheduler(raceConfig(config, dataset), {speed: config.speed, ...options});
	const data: HeaderData = {
		name: basename(dataset.source),
		rows: dataset.rows,
		features: dataset.features,
		target: dataset.target,
		scale: dataset.scale,
	};
	return {config, dataset, scheduler, data};
}

/** Brings every racer to clock position `units` at once (deterministic for the iteration and samples clocks). */
export function advance(race: TestRace, units: number): void {
	race.scheduler.race.extend(units);
	race.scheduler.race.catchUp();
}

/**
 * Resolves once the app's loop has ticked the scheduler `count` more times. Keys typed before are
 * handled by then (Ink reads them, and flushes a lone Escape, before the loop's next timer), so a
 * check that a key did NOT change something can follow without a fixed sleep.
 */
export async function ticks(race: TestRace, count = 3): Promise<void> {
	const scheduler = race.scheduler;
	let seen = 0;
	const tick = scheduler.tick;
	scheduler.tick = function (this: Scheduler, ...args: Parameters<Scheduler['tick']>) {
		seen++;
		return tick.apply(this, args);
	};
	try {
		await vi.waitFor(
			() => {
				if (seen < count) throw new Error(`the loop ticked ${seen} of ${count} times`);
			},
			{timeout: 10_000, interval: 5},
		);
	} finally {
		// The prototype's method again.
		delete (scheduler as {tick?: unknown}).tick;
	}
}

/** Cuts a table line into its cells: each column's width, one blank apart (as WeightsTable draws them). */
export function tableCells(line: string, columns: readonly TableColumn[]): string[] {
	const cells: string[] = [];
	let x = 0;
	for (const column of columns) {
		cells.push(line.slice(x, x + column.width).padEnd(column.width));
		x += column.width + 1;
	}
	return cells;
}

/** The full layout for a size (throws when the size is too small for the book race). */
export function fullLayout(columns: number, rows: number, racers = 4, features = 2): FullLayout {
	const layout = calculateLayout(columns, rows, racers, features);
	if (layout.kind !== 'full') throw new Error(`${columns}×${rows} is too small`);
	return layout;
}

/** The stand-in stdout of ink-testing-library, whose size a test can change. */
type SizedStdout = NodeJS.EventEmitter & {columns: number; rows?: number};

/** Gives the test stdout a size and tells the app, as a terminal's SIGWINCH would. */
export function resize(stdout: SizedStdout, columns: number, rows: number): void {
	Object.defineProperty(stdout, 'columns', {value: columns, configurable: true, writable: true});
	Object.defineProperty(stdout, 'rows', {value: rows, configurable: true, writable: true});
	stdout.emit('resize');
}

export type AppOptions = {
	/** @default 100 (ink-testing-library's width) */
	readonly columns?: number;
	/** @default 24 */
	readonly rows?: number;
	/** @default false */
	readonly color?: boolean;
	/** @default true */
	readonly keys?: boolean;
	/** @default false */
	readonly exitOnFinish?: boolean;
	/** @default the App's (FINISH_HOLD_MS) */
	readonly finishHoldMs?: number;
	readonly onExit?: (reason: ExitReason) => void;
	/** Ctrl+Z's hook. @default none */
	readonly onSuspend?: () => void;
	/** Present or watch a shared race. @default none */
	readonly share?: ShareRole;
	/** Share engine time with other Apps. @default none */
	readonly governor?: EngineGovernor;
};

export type RenderedApp = {
	/** The last frame, without escape sequences. */
	frame(): string;
	/** The last frame's lines. */
	lines(): string[];
	/** Types keys (a string, as a terminal sends it). */
	press(keys: string): void;
	resize(columns: number, rows: number): void;
	/** Waits until `check` stops throwing (an `expect` on the frame), polling. */
	until(check: (frame: string) => void, timeout?: number): Promise<void>;
	unmount(): void;
};

/** Renders the live App for `race` at `columns` × `rows`, keys on, without a layer sink. */
export function renderApp(race: TestRace, options: AppOptions = {}): RenderedApp {
	const instance = render(
		<App
			scheduler={race.scheduler}
			data={race.data}
			fps={60}
			color={options.color ?? false}
			keys={options.keys ?? true}
			exitOnFinish={options.exitOnFinish ?? false}
			{...(options.finishHoldMs === undefined ? {} : {finishHoldMs: options.finishHoldMs})}
			onExit={options.onExit}
			{...(options.onSuspend === undefined ? {} : {onSuspend: options.onSuspend})}
			mapAxes={race.config.map}
			view={race.config.view}
			{...(options.share === undefined ? {} : {share: options.share})}
			{...(options.governor === undefined ? {} : {governor: options.governor})}
		/>,
	);
	const stdout = instance.stdout as unknown as SizedStdout;
	resize(stdout, options.columns ?? 100, options.rows ?? 24);
	const frame = (): string => stripVTControlCharacters(instance.lastFrame() ?? '');
	return {
		frame,
		lines: () => frame().split('\n'),
		press: (keys) => instance.stdin.write(keys),
		resize: (columns, rows) => resize(stdout, columns, rows),
		until: (check, timeout = 10_000) => vi.waitFor(() => check(frame()), {timeout, interval: 10}),
		unmount: () => {
			instance.unmount();
			instance.cleanup();
		},
	};
}
