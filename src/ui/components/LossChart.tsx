import {memo, useContext, useLayoutEffect, useMemo} from 'react';
import {Box, Text} from 'ink';
import type {Racer} from '../../engine/racer.js';
import type {Clock} from '../../engine/types.js';
import {buildChart, DIVERGED_GLYPH, legendGlyph, LOSS_STAR_GLYPH, seriesColor} from '../chart.js';
import type {ChartHistory} from '../chart.js';
import {formatSignificant} from '../format.js';
import {smooth} from '../smoothing.js';
import type {Rect} from '../layout.js';
import type {Canvas} from '../terminal/cells.js';
import type {CellStyle} from '../terminal/style.js';
import type {ChartView} from '../ui-state.js';
import {racerLabel} from './labels.js';
import {LayerContext} from './layer-context.js';
import TextLayer from './TextLayer.js';

export {LayerContext} from './layer-context.js';
export type {LayerSink} from './layer-context.js';

/** The layer id of the plot. */
export const PLOT_LAYER = 'plot';

export type LossChartProps = {
	readonly racers: readonly Racer[];
	readonly lossStar: number;
	readonly view: ChartView;
	readonly clock: Clock;
	readonly dataRows: number;
	readonly epochs: number;
	readonly hidden: ReadonlySet<number>;
	readonly color: boolean;
	/** The legend line. */
	readonly legend: Rect;
	/** The y labels, left of the plot. */
	readonly labels: Rect;
	/** The plot, in frame coordinates (the frame writer paints the canvas there). */
	readonly plot: Rect;
	/** The x-axis rows under the plot. */
	readonly xAxis: Rect;
	/** Changes whenever the racers' histories may have changed (the frame counter). */
	readonly version: number;
	/** Smoothing weight of the curves (TensorBoard's debiased EMA), 0 for raw. @default 0 */
	readonly smoothing?: number;
	/** The replay cursor in clock units, or null when live. @default null */
	readonly cursor?: number | null;
};

/** How many charts `sharedChart` keeps. */
const RECENT_CHARTS = 4;
const recentCharts: {readonly inputs: readonly unknown[]; readonly model: ReturnType<typeof buildChart>}[] = [];

/**
 * The chart for these inputs, built once for every screen that shows it: the viewers of `gdrace
 * serve --shared` render the same published frame of the same race, and those at the same size
 * and view would each build the same chart (a tenth of a busy server's CPU). The last few charts
 * are kept by their inputs, compared by identity; the inputs include the frame counter, which
 * stands for the histories (they change in place), and a race's racers differ from every other
 * race's, so that screens of other races never share a chart. A chart's canvas is only read.
 */
export function sharedChart(inputs: readonly unknown[], build: () => ReturnType<typeof buildChart>): ReturnType<typeof buildChart> {
	const hit = recentCharts.find((entry) => entry.inputs.length === inputs.length && entry.inputs.every((value, index) => Object.is(value, inputs[index])));
	if (hit !== undefined) return hit.model;
	const model = build();
	recentCharts.unshift({inputs, model});
	if (recentCharts.length > RECENT_CHARTS) recentCharts.pop();
	return model;
}

/** A history with its losses smoothed (a new loss column; the rest shared), or as it is at weight 0. */
function smoothed(history: ChartHistory, weight: number): ChartHistory {
	return weight > 0 ? {...history, loss: smooth(history.loss, weight)} : history;
}

/** The canvas as plain text lines (its characters without styles). */
export function canvasLines(canvas: Canvas): string[] {
	const lines: string[] = [];
	for (let row = 0; row < canvas.height; row++) {
		lines.push(String.fromCharCode(...canvas.chars.subarray(row * canvas.width, (row + 1) * canvas.width)));
	}
	return lines;
}

type LegendProps = {
	readonly width: number;
	readonly racers: readonly {readonly id: string; readonly diverged: boolean}[];
	readonly hidden: ReadonlySet<number>;
	readonly lossStar: number;
	readonly view: ChartView;
	readonly color: boolean;
	/** The curves' smoothing weight: the caption says `smooth 0.9`. @default 0 */
	readonly smoothing?: number;
};

/** What the y-axis shows, as the legend says it: the long form where it fits, else the short one. */
export const Y_CAPTIONS: Readonly<Record<ChartView, readonly [string, string]>> = {
	linear: ['loss', 'loss'],
	log: ['loss (log scale)', 'loss (log)'],
	gap: ['loss − L* (log scale)', 'gap (log)'],
};

/** How the legend line is drawn at a width. */
export type LegendPlan = {
	/** The racers' entries, in order ('1 ── GD'; '1 ─ GD' when short of room). */
	readonly entries: readonly string[];
	/** Between two entries: two spaces, or one when short of room. */
	readonly separator: string;
	/** Whether the L* entry fits after the racers. */
	readonly star: boolean;
	/** What the y-axis shows, at the right end: always there. */
	readonly caption: string;
};

/** Fewest spaces before the caption. */
const CAPTION_GAP = 2;

/**
 * Fits the legend in `width`: racers' entries, then L* (which the table's optimum row also
 * shows, so it gives way first), then what the y-axis shows, right-aligned. The caption always
 * stays, so that the gap view can be told from the loss view at any width: to make room the
 * caption gets shorter, the entries draw their glyph once instead of twice, then sit one space
 * apart; beyond that the entries are cut (the table names every racer too).
 */
export function planLegend(
	width: number,
	entry: (slot: number, glyphs: 1 | 2) => string,
	racers: number,
	view: ChartView,
	starText: string,
	smoothing = 0,
): LegendPlan {
	const smoothed = smoothing > 0 ? ` smooth ${smoothing}` : '';
	const [long, short] = Y_CAPTIONS[view].map((caption) => caption + (smoothed === '' ? '' : `,${smoothed}`)) as [string, string];
	const tries = [
		{glyphs: 2, separator: '  ', caption: long},
		{glyphs: 2, separator: '  ', caption: short},
		{glyphs: 1, separator: '  ', caption: short},
		{glyphs: 1, separator: ' ', caption: short},
	] as const;
	let plan: LegendPlan | undefined;
	for (const attempt of tries) {
		const entries = Array.from({length: racers}, (_, slot) => entry(slot, attempt.glyphs));
		const used = entries.join(attempt.separator).length;
		plan = {entries, separator: attempt.separator, star: used + starText.length + CAPTION_GAP + attempt.caption.length <= width, caption: attempt.caption};
		if (used + CAPTION_GAP + attempt.caption.length <= width) return plan;
	}
	return plan!;
}

/** One entry per racer, numbered as the 1–9 keys toggle them, in its curve's color and glyph; then L*; then what the y-axis shows. */
const Legend = memo(function Legend({width, racers, hidden, lossStar, view, color, smoothing = 0}: LegendProps) {
	const star = `   ${LOSS_STAR_GLYPH}${LOSS_STAR_GLYPH} L* ${formatSignificant(lossStar, 12, 6).trim()}`;
	const plan = planLegend(
		width,
		(slot, glyphs) => {
			const racer = racers[slot]!;
			const glyph = racer.diverged ? DIVERGED_GLYPH : legendGlyph(slot, color);
			return `${slot + 1} ${glyph.repeat(glyphs)} ${racerLabel(racer.id)}${racer.diverged ? ' diverged' : ''}${hidden.has(slot) ? ' (hidden)' : ''}`;
		},
		racers.length,
		view,
		star,
		smoothing,
	);
	const entries = racers.map((racer, slot) => {
		const off = hidden.has(slot);
		return (
			<Text key={racer.id} dimColor={off} color={color && !off ? (racer.diverged ? 'red' : seriesColor(slot)) : undefined}>
				{slot > 0 ? plan.separator : ''}
				{plan.entries[slot]}
			</Text>
		);
	});
	const captionWidth = Math.min(width, plan.caption.length + CAPTION_GAP);
	return (
		<Box width={width} height={1}>
			<Box width={width - captionWidth} height={1}>
				<Text wrap="truncate">
					{entries}
					{plan.star ? <Text dimColor>{star}</Text> : null}
				</Text>
			</Box>
			<Box width={captionWidth} height={1} justifyContent="flex-end">
				<Text dimColor wrap="truncate">
					{plan.caption}
				</Text>
			</Box>
		</Box>
	);
});

const LABEL_PALETTE: readonly CellStyle[] = [{}];

type AxisProps = {
	/** The y labels, one per plot row. */
	readonly yLabels: readonly string[];
	readonly xTicks: string;
	readonly xLabels: string;
	readonly xUnit: string;
	readonly labels: Rect;
	readonly plot: Rect;
	readonly xAxis: Rect;
	/** The plot as text when no layer sink draws it, else null (the box stays empty). */
	readonly plotText: string | null;
};

/** The y labels beside the plot's box, then the x-axis's tick line and labels, with the unit in the label column. */
const Axes = memo(function Axes({yLabels, xTicks, xLabels, xUnit, labels, plot, xAxis, plotText}: AxisProps) {
	const labelLines = useMemo(() => yLabels.map((label) => [{text: label}]), [yLabels]);
	// 'iterations' does not fit beside the first label: 'iter' does.
	const short = xUnit.length < labels.width ? xUnit : xUnit.slice(0, 4);
	// With a frame writer, the plot's rows are layers in reserved rows: Ink draws only the x-axis.
	const unit = short.padStart(labels.width - 1) + ' ';
	return (
		<Box flexDirection="column" width={xAxis.width}>
			{plotText === null ? (
				<TextLayer id="labels" rect={labels} lines={labelLines} palette={LABEL_PALETTE} fullRows />
			) : (
				<Box width={xAxis.width} height={plot.height}>
					<TextLayer id="labels" rect={labels} lines={labelLines} palette={LABEL_PALETTE} />
					<Box width={plot.width} height={plot.height}>
						<Text>{plotText}</Text>
					</Box>
				</Box>
			)}
			<Text wrap="truncate">{' '.repeat(labels.width) + xTicks}</Text>
			<Text wrap="truncate">
				<Text dimColor>{unit}</Text>
				{xLabels}
			</Text>
		</Box>
	);
});

/**
 * The legend, the plot with its y labels and the x-axis. The plot's cells go to the frame writer
 * as a layer over the empty box Ink lays out for it, set in a layout effect so that the layer and
 * Ink's frame of the same commit reach the terminal together.
 */
function LossChart(props: LossChartProps) {
	const {racers, lossStar, view, clock, dataRows, epochs, hidden, color, legend, labels, plot, xAxis, version, smoothing = 0, cursor = null} = props;
	const sink = useContext(LayerContext);
	const model = useMemo(
		() =>
			sharedChart([racers, lossStar, view, clock, dataRows, epochs, hidden, color, plot.width, plot.height, labels.width, version, smoothing, cursor], () =>
				buildChart({
					series: racers.map((racer, slot) => ({
						id: racer.id,
						slot,
						history: smoothed(racer.history.columns(), smoothing),
						hidden: hidden.has(slot),
						diverged: racer.state === 'diverged',
					})),
					lossStar,
					view,
					clock,
					dataRows,
					epochs,
					width: plot.width,
					height: plot.height,
					color,
					labelWidth: labels.width,
					smoothing,
					cursor,
				}),
			),
		// `version` stands for the histories, which change in place.
		// eslint-disable-next-line react-hooks/exhaustive-deps
		[racers, lossStar, view, clock, dataRows, epochs, hidden, color, plot.width, plot.height, labels.width, version, smoothing, cursor],
	);

	useLayoutEffect(() => {
		sink?.setLayer(PLOT_LAYER, plot, model.canvas);
	}, [sink, plot, model]);
	// The plot's rows (y labels and plot) are all layers: Ink's frame leaves them out.
	useLayoutEffect(() => {
		sink?.reserveRows(PLOT_LAYER, plot);
	}, [sink, plot]);
	useLayoutEffect(
		() => () => {
			sink?.setLayer(PLOT_LAYER, null);
			sink?.reserveRows(PLOT_LAYER, null);
		},
		[sink],
	);

	// Stable while the legend's content is: racers diverge rarely.
	const divergedKey = racers.map((racer) => (racer.state === 'diverged' ? 1 : 0)).join('');
	const legendRacers = useMemo(
		() => racers.map((racer) => ({id: racer.id, diverged: racer.state === 'diverged'})),
		// eslint-disable-next-line react-hooks/exhaustive-deps
		[racers, divergedKey],
	);
	// The same labels keep the same array, so that the axes are not redrawn for nothing.
	const labelKey = model.yLabels.join('\n');
	// eslint-disable-next-line react-hooks/exhaustive-deps
	const yLabels = useMemo(() => model.yLabels, [labelKey]);
	const plotText = useMemo(() => (sink === null ? canvasLines(model.canvas).join('\n') : null), [sink, model]);
	return (
		<Box flexDirection="column" width={legend.width}>
			<Legend width={legend.width} racers={legendRacers} hidden={hidden} lossStar={lossStar} view={view} color={color} smoothing={smoothing} />
			<Axes
				yLabels={yLabels}
				xTicks={model.xTicks}
				xLabels={model.xLabels}
				xUnit={model.xUnit}
				labels={labels}
				plot={plot}
				xAxis={xAxis}
				plotText={plotText}
			/>
		</Box>
	);
}

export default memo(LossChart);
