import {memo, useContext, useLayoutEffect, useMemo, useRef} from 'react';
import {Box, Text} from 'ink';
import type {Landscape} from '../../engine/landscape.js';
import type {Racer} from '../../engine/racer.js';
import {formatSignificant} from '../format.js';
import type {Rect} from '../layout.js';
import {buildMap, contourDots, fitView, OPTIMUM_GLYPH, START_GLYPH} from '../map.js';
import type {MapPoint, MapSeries, MapView} from '../map.js';
import type {CellStyle} from '../terminal/style.js';
import {canvasLines} from './LossChart.js';
import {LayerContext} from './layer-context.js';
import {padStartToWidth, splitAtWidth} from '../../text-width.js';
import {fitParts} from './Header.js';
import TextLayer from './TextLayer.js';

/** The layer id of the map's canvas. */
export const MAP_LAYER = 'map';
const LABELS_LAYER = 'map-labels';

export type LandscapeMapProps = {
	readonly racers: readonly Racer[];
	readonly landscape: Landscape;
	/** Names of the x and y axes (feature names, or 'bias'). */
	readonly xName: string;
	readonly yName: string;
	/** The shared start in the map's plane. */
	readonly start: MapPoint;
	readonly hidden: ReadonlySet<number>;
	readonly color: boolean;
	/** Per racer, how many of its kept points the replay cursor has reached; null when live. */
	readonly counts: readonly number[] | null;
	/** Changes on `f`: the view is fitted again. */
	readonly fit: number;
	readonly legend: Rect;
	readonly labels: Rect;
	readonly plot: Rect;
	readonly xAxis: Rect;
	/** Changes whenever the racers' histories may have changed (the frame counter). */
	readonly version: number;
};

const LABEL_PALETTE: readonly CellStyle[] = [{}];

/**
 * The landscape map: a legend line, the map's canvas with its y labels (both layers, like the
 * chart's plot) and an x-axis. The view is kept between frames and changes in steps (`fitView`);
 * the contours are computed again only when the view or the size changes.
 */
function LandscapeMap(props: LandscapeMapProps) {
	const {racers, landscape, xName, yName, start, hidden, color, counts, fit, legend, labels, plot, xAxis, version} = props;
	const sink = useContext(LayerContext);

	const series = useMemo((): MapSeries[] => {
		return racers.map((racer, slot) => {
			const columns = racer.history.columns();
			const xs = columns.theta[landscape.xIndex] ?? [];
			const ys = columns.theta[landscape.yIndex] ?? [];
			const count = counts?.[slot] ?? xs.length;
			// In a replay a racer diverges only once the cursor has passed the point where it did.
			const diverged = racer.state === 'diverged' && (counts === null || count >= xs.length);
			return {slot, xs, ys, count, hidden: hidden.has(slot), diverged};
		});
		// `version` stands for the histories, which change in place.
		// eslint-disable-next-line react-hooks/exhaustive-deps
	}, [racers, landscape, counts, hidden, version]);

	// The view follows the start, the optimum and the racers still in the race, in steps.
	const viewRef = useRef<{view: MapView; fit: number; landscape: Landscape; width: number; height: number} | null>(null);
	const points: MapPoint[] = [start, {x: landscape.xStar, y: landscape.yStar}];
	for (const entry of series) {
		const count = entry.count ?? entry.xs.length;
		if (entry.hidden || entry.diverged || count === 0) continue;
		points.push({x: entry.xs[count - 1]!, y: entry.ys[count - 1]!});
	}
	const kept = viewRef.current;
	const same = kept !== null && kept.fit === fit && kept.landscape === landscape && kept.width === plot.width && kept.height === plot.height;
	const view = fitView(same ? kept.view : null, points, plot.width, plot.height);
	if (!same || view !== kept.view) viewRef.current = {view, fit, landscape, width: plot.width, height: plot.height};

	const contours = useMemo(
		() => contourDots(landscape, view, Math.max(0, plot.width - 1) * 2, plot.height * 4),
		[landscape, view, plot.width, plot.height],
	);
	const model = useMemo(
		() =>
			buildMap({
				surface: landscape,
				view,
				start,
				series,
				width: plot.width,
				height: plot.height,
				xName,
				yName,
				color,
				labelWidth: labels.width,
				contours,
			}),
		[landscape, view, start, series, plot.width, plot.height, xName, yName, color, labels.width, contours],
	);

	useLayoutEffect(() => {
		sink?.setLayer(MAP_LAYER, plot, model.canvas);
	}, [sink, plot, model]);
	useLayoutEffect(() => {
		sink?.reserveRows(MAP_LAYER, plot);
	}, [sink, plot]);
	useLayoutEffect(
		() => () => {
			sink?.setLayer(MAP_LAYER, null);
			sink?.reserveRows(MAP_LAYER, null);
		},
		[sink],
	);

	const labelKey = model.yLabels.join('\n');
	// eslint-disable-next-line react-hooks/exhaustive-deps
	const labelLines = useMemo(() => model.yLabels.map((label) => [{text: label}]), [labelKey]);
	const plotText = useMemo(() => (sink === null ? canvasLines(model.canvas).join('\n') : null), [sink, model]);
	const legendText = fitParts(
		[
			`map ${xName} → ${yName} ↑`,
			`${OPTIMUM_GLYPH} L* ${formatSignificant(landscape.lossStar, 12, 6).trim()}`,
			`${START_GLYPH} start`,
			model.caption,
		],
		legend.width,
	);
	// In columns: a Korean or Chinese name takes two a character.
	const unit = `${padStartToWidth(`${splitAtWidth(xName, labels.width - 3)[0]} →`, labels.width - 1)} `;
	return (
		<Box flexDirection="column" width={legend.width}>
			<Box width={legend.width} height={1}>
				<Text wrap="truncate">{legendText}</Text>
			</Box>
			{plotText === null ? (
				<TextLayer id={LABELS_LAYER} rect={labels} lines={labelLines} palette={LABEL_PALETTE} fullRows />
			) : (
				<Box width={xAxis.width} height={plot.height}>
					<TextLayer id={LABELS_LAYER} rect={labels} lines={labelLines} palette={LABEL_PALETTE} />
					<Box width={plot.width} height={plot.height}>
						<Text>{plotText}</Text>
					</Box>
				</Box>
			)}
			<Text wrap="truncate">{' '.repeat(labels.width) + model.xTicks}</Text>
			<Text wrap="truncate">
				<Text dimColor>{unit}</Text>
				{model.xLabels}
			</Text>
		</Box>
	);
}

export default memo(LandscapeMap);
