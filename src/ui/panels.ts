/**
 * Where the loss chart and the landscape map go: the chart's area of the layout holds the chart,
 * the map, or (from SIDE_BY_SIDE_COLUMNS on) both side by side. Pure, like `calculateLayout`.
 */
import type {FullLayout, Rect} from './layout.js';

/** From this many columns the chart and the map stand side by side, by default. */
export const SIDE_BY_SIDE_COLUMNS = 160;
/** Blank columns between the chart and the map. */
const GUTTER = 1;

/** The rectangles of one panel (the chart or the map), as the layout gives the chart's. */
export type PanelRects = {
	readonly legend: Rect;
	readonly labels: Rect;
	readonly plot: Rect;
	readonly xAxis: Rect;
};

/** What the chart's area shows. */
export type Panels = {
	readonly chart: PanelRects | null;
	readonly map: PanelRects | null;
	/** Blank columns between them when both show. */
	readonly gutter: number;
};

/** Whether the map shows when the user has not said (`m` not pressed): where it fits beside the chart. */
export function mapByDefault(columns: number): boolean {
	return columns >= SIDE_BY_SIDE_COLUMNS;
}

/** A panel `width` columns wide starting at column `x`, over the layout's chart rows. */
function panel(layout: FullLayout, x: number, width: number): PanelRects {
	const {legend, labels, plot, xAxis} = layout;
	return {
		legend: {x, y: legend.y, width, height: legend.height},
		labels: {x, y: labels.y, width: labels.width, height: labels.height},
		plot: {x: x + labels.width, y: plot.y, width: width - labels.width, height: plot.height},
		xAxis: {x, y: xAxis.y, width, height: xAxis.height},
	};
}

/** The chart alone, the map alone (in the chart's place), or both side by side when the frame is wide enough. */
export function panels(layout: FullLayout, showMap: boolean): Panels {
	const whole: PanelRects = {legend: layout.legend, labels: layout.labels, plot: layout.plot, xAxis: layout.xAxis};
	if (!showMap) return {chart: whole, map: null, gutter: 0};
	if (layout.width < SIDE_BY_SIDE_COLUMNS) return {chart: null, map: whole, gutter: 0};
	const left = Math.floor((layout.width - GUTTER) / 2);
	const right = layout.width - GUTTER - left;
	return {chart: panel(layout, 0, left), map: panel(layout, left + GUTTER, right), gutter: GUTTER};
}
