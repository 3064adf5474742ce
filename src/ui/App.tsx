import {useCallback, useContext, useEffect, useLayoutEffect, useMemo, useReducer, useRef, useSyncExternalStore} from 'react';
import {Box, Text, useApp, useInput, useStdin} from 'ink';
import {Landscape} from '../engine/landscape.js';
import type {LandscapeAxes} from '../engine/landscape.js';
import {INITIAL_BIAS, INITIAL_WEIGHT} from '../engine/racer.js';
import type {Scheduler} from '../engine/scheduler.js';
import Footer from './components/Footer.js';
import Header, {selectedLrText} from './components/Header.js';
import type {HeaderData} from './components/Header.js';
import HelpOverlay from './components/HelpOverlay.js';
import LandscapeMap from './components/LandscapeMap.js';
import {LayerContext} from './components/layer-context.js';
import LossChart from './components/LossChart.js';
import TooSmall from './components/TooSmall.js';
import {racerLabel} from './components/labels.js';
import WatchHelp, {WATCH_FOOTER} from './components/WatchHelp.js';
import WeightsTable, {isPlainFullBatch} from './components/WeightsTable.js';
import useFollow from './hooks/use-follow.js';
import useRace from './hooks/use-race.js';
import useTerminalSize from './hooks/use-terminal-size.js';
import {realClock} from './clock.js';
import type {SessionClock} from './clock.js';
import type {EngineGovernor} from '../engine/governor.js';
import {resolveKeys} from './keymap.js';
import type {Command} from './keymap.js';
import {calculateLayout} from './layout.js';
import {mapByDefault, panels} from './panels.js';
import {moveCursor, pointAt, replaySnapshot} from './replay.js';
import {chartView, spansDecade, startState, uiReducer, viewClock} from './ui-state.js';
import type {StartView} from './ui-state.js';
import {positionRange, viewExtent} from './clock-view.js';
import type {ShareRole} from './shared-race.js';

/** Why the screen closed by itself (signals are the caller's). */
export type ExitReason = 'quit' | 'finished';

export type AppProps = {
	readonly scheduler: Scheduler;
	readonly data: HeaderData;
	/** Frames per second the race loop aims for. */
	readonly fps: number;
	readonly color: boolean;
	/** Read keys (false without a terminal to read them from: the screen then only shows the race). */
	readonly keys: boolean;
	/** The footer lists the keys even when `keys` is off: a recording shows what the live screen offers. @default false */
	readonly footerKeys?: boolean;
	/** Quit by itself once every racer is done. */
	readonly exitOnFinish: boolean;
	/** With `exitOnFinish`: how long the finished race stays on screen first, ms. @default FINISH_HOLD_MS */
	readonly finishHoldMs?: number;
	/** The race loop's and the finish hold's time. @default realClock */
	readonly clock?: SessionClock;
	/** Shares engine time with the process's other sessions (`gdrace serve`'s viewers). @default none */
	readonly governor?: EngineGovernor;
	/** Called once before the app unmounts itself. */
	readonly onExit?: (reason: ExitReason) => void;
	/**
	 * Ctrl+Z: the entry layer suspends the process to the shell and, when it continues, the screen
	 * is drawn again. None (an SSH viewer, a recording): Ctrl+Z does nothing.
	 */
	readonly onSuspend?: () => void;
	/** The map's axes (`--map`). @default the first two features, or the weight and the bias with one */
	readonly mapAxes?: LandscapeAxes;
	/**
	 * A shared race (`gdrace serve --shared`): 'present' drives the race and publishes what it
	 * shows; 'watch' shows the presenter's race and view at this screen's size, and only `?` and
	 * `q` (Ctrl+C) work. @default none: the screen drives its own race
	 */
	readonly share?: ShareRole;
	/** What the chart's area opens on (`--view`). @default 'loss' */
	readonly view?: StartView;
};

/** How long the final frame stays up before `--exit-on-finish` quits, ms (`--hold` changes it): recordings show the finished chart. */
export const FINISH_HOLD_MS = 2000;

/** The live race screen: header, legend and loss chart, weights table, footer; or help; or "too small". */
export default function App({scheduler, data, fps, color, keys, exitOnFinish, finishHoldMs = FINISH_HOLD_MS, clock = realClock, onExit, onSuspend, mapAxes, view: startView, share, footerKeys = false, governor}: AppProps) {
	const {exit} = useApp();
	const {isRawModeSupported} = useStdin();
	const {columns, rows} = useTerminalSize();
	const sink = useContext(LayerContext);
	// Every commit says which size it was laid out for: the frame writer shows no stale layout after a resize.
	useLayoutEffect(() => {
		sink?.declareSize(columns, rows);
	});
	const watching = share?.role === 'watch';
	const presenting = share?.role === 'present' ? share.race : undefined;
	const [ownUi, dispatch] = useReducer(uiReducer, startView, startState);
	// A watcher never ticks the race: it shows the presenter's newest frame and view, with its own help.
	const [driven, command] = useRace(scheduler, {fps, clock, enabled: !watching, ...(governor === undefined ? {} : {governor})});
	const followed = useFollow(watching ? share.race : undefined, {fps, clock});
	const ui = useMemo(() => (followed === undefined ? ownUi : {...followed.ui, help: ownUi.help}), [followed, ownUi]);
	// The selection as the keys see it, ahead of the next render (↓ then ] in one burst of input).
	const selected = useRef(ui.selected);
	selected.current = ui.selected;
	const frame = followed?.frame ?? driven;
	const {snapshot} = frame;
	const race = followed?.race ?? scheduler.race;
	// The presenter publishes every commit's frame and view (synchronously: a restart's new race goes out with its first frame).
	useLayoutEffect(() => {
		presenting?.publish({frame, ui, race});
	}, [presenting, frame, ui, race]);
	const subscribeStatus = useCallback((listener: () => void) => presenting?.subscribe(listener) ?? (() => {}), [presenting]);
	const status = useSyncExternalStore(subscribeStatus, () => presenting?.status ?? '');
	const racers = race.racers;
	const landscape = useMemo(
		() => new Landscape(race.objective, mapAxes ?? (data.features.length > 1 ? {x: 0, y: 1} : {x: 0, y: 'bias'})),
		[race.objective, mapAxes, data.features.length],
	);
	const start = useMemo(
		() => ({x: INITIAL_WEIGHT, y: landscape.yIndex === data.features.length ? INITIAL_BIAS : INITIAL_WEIGHT}),
		[landscape, data.features.length],
	);
	const showMap = ui.map ?? mapByDefault(columns);
	const autoLog = spansDecade(race.initialLoss, snapshot.optimum.loss);
	const replayable = frame.paused || snapshot.over;
	// Replay shows the race as it was at the cursor: the table's values, the map's paths.
	const cursor = replayable ? ui.cursor : null;
	const replay = useMemo(() => {
		if (cursor === null) return null;
		const histories = racers.map((racer) => racer.history.columns());
		return {
			counts: histories.map((history) => pointAt(history, snapshot.clock, data.rows, cursor) + 1),
			racers: snapshot.racers.map((racer, slot) => replaySnapshot(racer, histories[slot]!, race.objective, race.initialLoss, snapshot.clock, data.rows, cursor)),
		};
	}, [cursor, racers, snapshot, data.rows, race.objective, race.initialLoss]);
	const layout = useMemo(
		() => calculateLayout(columns, rows, snapshot.racers.length, data.features.length),
		[columns, rows, snapshot.racers.length, data.features.length],
	);

	const exited = useRef(false);
	const leave = useCallback(
		(reason: ExitReason) => {
			if (exited.current) return;
			exited.current = true;
			onExit?.(reason);
			exit();
		},
		[exit, onExit],
	);

	const run = useCallback(
		(commands: readonly Command[]) => {
			for (const next of commands) {
				switch (next.action) {
					case 'quit':
						leave('quit');
						return;
					case 'suspend':
						onSuspend?.();
						break;
					case 'help':
						dispatch({type: 'toggle-help'});
						break;
					case 'log':
						dispatch({type: 'toggle-log', from: autoLog});
						break;
					case 'map':
						dispatch(next.refit ? {type: 'refit-map'} : {type: 'toggle-map', from: showMap});
						break;
					case 'smooth':
						dispatch({type: 'cycle-smoothing'});
						break;
					case 'replay':
						// Only a paused or finished race can be replayed: live, the keys do nothing.
						if (replayable) dispatch({type: 'replay', to: moveCursor(cursor, next.move, snapshot.position), end: snapshot.position});
						break;
					case 'gap':
						dispatch({type: 'toggle-gap'});
						break;
					case 'toggle':
						dispatch({type: 'toggle-racer', index: next.index === 'selected' ? selected.current : next.index, racers: scheduler.race.racers.length});
						break;
					case 'select': {
						const count = scheduler.race.racers.length;
						selected.current = Math.min(Math.max(0, selected.current + next.delta), Math.max(0, count - 1));
						dispatch({type: 'select', delta: next.delta, racers: count});
						break;
					}
					case 'lr': {
						const racer = scheduler.race.racers[selected.current];
						// A racer that is done or diverged keeps its lr: nothing would use the new one.
						if (racer !== undefined && racer.state === 'running') {
							const lr = racer.lr * next.factor;
							if (Number.isFinite(lr) && lr > 0) racer.setLr(lr);
							command('redraw');
						}
						break;
					}
					case 'clock':
						// What the screen measures in: no racer moves.
						dispatch({type: 'cycle-view', race: scheduler.race.clock});
						break;
					case 'reclock':
						command('reclock');
						dispatch({type: 'reset-view'});
						dispatch({type: 'replay', to: null, end: 0});
						break;
					case 'pause':
					case 'step':
					case 'faster':
					case 'slower':
					case 'restart':
						command(next.action);
						if (next.action === 'restart') dispatch({type: 'replay', to: null, end: 0});
						break;
				}
			}
		},
		[command, leave, onSuspend, scheduler, autoLog, showMap, replayable, cursor, snapshot.position],
	);

	// Keys read the state of the latest commit: Ink subscribes a new handler in a passive effect,
	// which can run after a key that arrives first (the map's and the replay's keys depend on the
	// size and on pausing).
	const latestRun = useRef(run);
	useLayoutEffect(() => {
		latestRun.current = run;
	});
	useInput(
		(input, key) => {
			if (key.escape) {
				dispatch({type: 'close-help'});
				return;
			}
			const commands = resolveKeys(input, key);
			// A watcher steers nothing: its own help and leaving are all it has.
			latestRun.current(watching ? commands.filter((next) => next.action === 'help' || next.action === 'quit' || next.action === 'suspend') : commands);
		},
		{isActive: keys && isRawModeSupported},
	);

	// A race that runs again leaves the replay.
	useEffect(() => {
		if (!watching && !replayable && ui.cursor !== null) dispatch({type: 'replay', to: null, end: 0});
	}, [watching, replayable, ui.cursor]);

	// A layout effect runs as the finished frame is committed; a passive one could run a frame later
	// on a virtual clock (React schedules those on the event loop), and `--render` would not repeat.
	useLayoutEffect(() => {
		if (!exitOnFinish || !snapshot.over) return;
		return clock.schedule(() => leave('finished'), finishHoldMs);
	}, [exitOnFinish, finishHoldMs, snapshot.over, leave, clock]);

	if (layout.kind === 'too-small') {
		return <TooSmall columns={columns} rows={rows} need={layout.need} />;
	}

	const body = layout.footer.y - layout.legend.y;
	const shownStatus = statusText(status, layout.width);
	const view = viewClock(ui, snapshot.clock);
	const areas = panels(layout, showMap);
	// Without the table's lr column, the header says the selected racer's lr.
	const chosen = layout.columns.some((column) => column.id === 'lr') ? undefined : (replay?.racers ?? snapshot.racers)[ui.selected];
	return (
		<Box flexDirection="column" width={layout.width}>
			<Header
				rect={layout.header}
				data={data}
				clock={snapshot.clock}
				position={cursor ?? snapshot.position}
				epochs={snapshot.epochs}
				view={view}
				range={positionRange(replay?.racers ?? snapshot.racers, view, data.rows)}
				seed={snapshot.seed}
				speed={frame.speed}
				achieved={frame.achieved}
				diverged={snapshot.racers.every((racer) => racer.state === 'diverged')}
				elapsedMs={frame.elapsedMs}
				paused={frame.paused}
				over={snapshot.over}
				replay={cursor !== null}
				color={color}
				lrMax={snapshot.curvature.lrMax}
				above={snapshot.racers.filter((racer) => isPlainFullBatch(racer) && racer.lr >= snapshot.curvature.lrMax).map((racer) => racerLabel(racer.id))}
				selectedLr={chosen === undefined ? null : selectedLrText(racerLabel(chosen.id), chosen.lr, isPlainFullBatch(chosen) && chosen.lr >= snapshot.curvature.lrMax)}
			/>
			{ui.help ? (
				watching ? <WatchHelp width={layout.width} height={body} /> : <HelpOverlay width={layout.width} height={body} />
			) : (
				<>
					<Box width={layout.width}>
						{areas.chart === null ? null : (
							<LossChart
								racers={racers}
								lossStar={snapshot.optimum.loss}
								view={chartView(ui, autoLog)}
								clock={view}
								dataRows={data.rows}
								epochs={viewExtent(snapshot, view, data.rows)}
								hidden={ui.hidden}
								color={color}
								legend={areas.chart.legend}
								labels={areas.chart.labels}
								plot={areas.chart.plot}
								xAxis={areas.chart.xAxis}
								version={frame.frame}
								smoothing={ui.smoothing}
								// The cursor is a moment in the race's clock: one x only when the axis measures in it.
								cursor={view === snapshot.clock ? cursor : null}
							/>
						)}
						{areas.gutter > 0 ? <Box width={areas.gutter} /> : null}
						{areas.map === null ? null : (
							<LandscapeMap
								racers={racers}
								landscape={landscape}
								xName={data.features[landscape.xIndex] ?? ''}
								yName={data.features[landscape.yIndex] ?? 'bias'}
								start={start}
								hidden={ui.hidden}
								color={color}
								counts={replay?.counts ?? null}
								fit={ui.mapFit}
								legend={areas.map.legend}
								labels={areas.map.labels}
								plot={areas.map.plot}
								xAxis={areas.map.xAxis}
								version={frame.frame}
							/>
						)}
					</Box>
					<WeightsTable
						rect={layout.table}
						columns={layout.columns}
						features={data.features}
						hiddenWeights={layout.hiddenWeights}
						racers={replay?.racers ?? snapshot.racers}
						optimum={snapshot.optimum}
						rates={frame.rates}
						selected={ui.selected}
						hidden={ui.hidden}
						rows={layout.tableRacers}
						lrMax={snapshot.curvature.lrMax}
						clock={view}
						dataRows={data.rows}
						tolerance={snapshot.tolerance}
						color={color}
					/>
				</>
			)}
			{watching ? (
				<Box width={layout.width} height={1}>
					<Text dimColor wrap="truncate">
						{WATCH_FOOTER}
					</Text>
				</Box>
			) : (
				<Box width={layout.width} height={1}>
					<Footer
						width={layout.width - shownStatus.length}
						keys={footerKeys || (keys && isRawModeSupported)}
						context={{paused: frame.paused, over: snapshot.over, view: chartView(ui, autoLog), chartHidden: areas.chart === null}}
					/>
					{shownStatus === '' ? null : <Text wrap="truncate">{shownStatus}</Text>}
				</Box>
			)}
		</Box>
	);
}

/** Keys the footer keeps beside the presenter's status, cells. */
const FOOTER_KEEPS = 30;

/**
 * The presenter's status at the footer's end (two blanks first): its ` · ` parts from the first,
 * as many as leave the keys FOOTER_KEEPS cells; '' when none fits.
 */
export function statusText(status: string, width: number): string {
	const parts = status === '' ? [] : status.split(' · ');
	while (parts.length > 0) {
		const text = `  ${parts.join(' · ')}`;
		if (width - text.length >= FOOTER_KEEPS) return text;
		parts.pop();
	}
	return '';
}
