import {useCallback, useContext, useEffect, useLayoutEffect, useMemo, useReducer, useRef} from 'react';
import {Box, useApp, useInput, useStdin} from 'ink';
import type {Scheduler} from '../engine/scheduler.js';
import Footer from './components/Footer.js';
import Header from './components/Header.js';
import type {HeaderData} from './components/Header.js';
import HelpOverlay from './components/HelpOverlay.js';
import {LayerContext} from './components/layer-context.js';
import LossChart from './components/LossChart.js';
import TooSmall from './components/TooSmall.js';
import WeightsTable from './components/WeightsTable.js';
import useRace from './hooks/use-race.js';
import useTerminalSize from './hooks/use-terminal-size.js';
import {resolveKeys} from './keymap.js';
import type {Command} from './keymap.js';
import {calculateLayout} from './layout.js';
import {chartView, initialUiState, uiReducer} from './ui-state.js';

/** Why the screen closed by itself (signals are the caller's). */
export type ExitReason = 'quit' | 'finished';

export type AppProps = {
	readonly scheduler: Scheduler;
	readonly data: HeaderData;
	/** Frames per second the race loop aims for. */
	readonly fps: number;
	readonly color: boolean;
	/** Read keys (false when stdin is not a terminal: the screen then only shows the race). */
	readonly keys: boolean;
	/** Quit by itself once every racer is done. */
	readonly exitOnFinish: boolean;
	/** With `exitOnFinish`: how long the finished race stays on screen first, ms. @default FINISH_HOLD_MS */
	readonly finishHoldMs?: number;
	/** Called once before the app unmounts itself. */
	readonly onExit?: (reason: ExitReason) => void;
};

/** How long the final frame stays up before `--exit-on-finish` quits, ms (`--hold` changes it): recordings show the finished chart. */
export const FINISH_HOLD_MS = 2000;

/** The live race screen: header, legend and loss chart, weights table, footer; or help; or "too small". */
export default function App({scheduler, data, fps, color, keys, exitOnFinish, finishHoldMs = FINISH_HOLD_MS, onExit}: AppProps) {
	const {exit} = useApp();
	const {isRawModeSupported} = useStdin();
	const {columns, rows} = useTerminalSize();
	const sink = useContext(LayerContext);
	// Every commit says which size it was laid out for: the frame writer shows no stale layout after a resize.
	useLayoutEffect(() => {
		sink?.declareSize(columns, rows);
	});
	const [ui, dispatch] = useReducer(uiReducer, initialUiState);
	const [frame, command] = useRace(scheduler, {fps});
	const {snapshot} = frame;
	const racers = scheduler.race.racers;
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
					case 'help':
						dispatch({type: 'toggle-help'});
						break;
					case 'log':
						dispatch({type: 'toggle-log'});
						break;
					case 'gap':
						dispatch({type: 'toggle-gap'});
						break;
					case 'toggle':
						dispatch({type: 'toggle-racer', index: next.index, racers: scheduler.race.racers.length});
						break;
					case 'pause':
					case 'step':
					case 'faster':
					case 'slower':
					case 'clock':
					case 'restart':
						command(next.action);
						break;
				}
			}
		},
		[command, leave, scheduler],
	);

	useInput(
		(input, key) => {
			if (key.escape) {
				dispatch({type: 'close-help'});
				return;
			}
			run(resolveKeys(input, key));
		},
		{isActive: keys && isRawModeSupported},
	);

	useEffect(() => {
		if (!exitOnFinish || !snapshot.over) return;
		const timer = setTimeout(() => leave('finished'), finishHoldMs);
		return () => clearTimeout(timer);
	}, [exitOnFinish, finishHoldMs, snapshot.over, leave]);

	if (layout.kind === 'too-small') {
		return <TooSmall columns={columns} rows={rows} need={layout.need} />;
	}

	const body = layout.footer.y - layout.legend.y;
	return (
		<Box flexDirection="column" width={layout.width}>
			<Header
				rect={layout.header}
				data={data}
				clock={snapshot.clock}
				position={snapshot.position}
				epochs={snapshot.epochs}
				seed={snapshot.seed}
				speed={frame.speed}
				elapsedMs={frame.elapsedMs}
				paused={frame.paused}
				over={snapshot.over}
				color={color}
			/>
			{ui.help ? (
				<HelpOverlay width={layout.width} height={body} />
			) : (
				<>
					<LossChart
						racers={racers}
						lossStar={snapshot.optimum.loss}
						view={chartView(ui)}
						clock={snapshot.clock}
						dataRows={data.rows}
						epochs={snapshot.epochs}
						hidden={ui.hidden}
						color={color}
						legend={layout.legend}
						labels={layout.labels}
						plot={layout.plot}
						xAxis={layout.xAxis}
						version={frame.frame}
					/>
					<WeightsTable
						rect={layout.table}
						columns={layout.columns}
						features={data.features}
						hiddenWeights={layout.hiddenWeights}
						racers={snapshot.racers}
						optimum={snapshot.optimum}
						rates={frame.rates}
						clock={snapshot.clock}
						dataRows={data.rows}
						tolerance={snapshot.tolerance}
						color={color}
					/>
				</>
			)}
			<Footer width={layout.width} keys={keys && isRawModeSupported} context={{paused: frame.paused, over: snapshot.over, view: chartView(ui)}} />
		</Box>
	);
}
