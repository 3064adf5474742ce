/**
 * Where everything goes on the screen, as a pure function of the terminal's size and the race's
 * shape. The Ink components size themselves from it and the frame writer paints the chart's
 * canvas at `chart.plot`, so both agree to the cell.
 */
import type {CellRect} from './terminal/cells.js';

/** A rectangle of cells, 0-based from the frame's top-left corner (the frame writer's `CellRect`). */
export type Rect = CellRect;

export const TABLE_COLUMN_IDS = ['racer', 'iterations', 'samples', 'weight', 'bias', 'loss', 'gap', 'status', 'lr', 'rate'] as const;
export type TableColumnId = (typeof TABLE_COLUMN_IDS)[number];

/** One column of the weights table; `feature` is the weight's index for `weight` columns. */
export type TableColumn = {
	readonly id: TableColumnId;
	readonly width: number;
	readonly feature?: number;
};

export type FullLayout = {
	readonly kind: 'full';
	/** Frame width (the terminal's columns). */
	readonly width: number;
	/** Frame height: always at least one row less than the terminal (see HEADROOM). */
	readonly height: number;
	/** Two header lines. */
	readonly header: Rect;
	/** The legend line above the chart. */
	readonly legend: Rect;
	/** The y-axis labels, left of the plot. */
	readonly labels: Rect;
	/** The chart's canvas: axis column, curves and the L* line. */
	readonly plot: Rect;
	/** The x-axis: tick line and label line under the plot, aligned with it. */
	readonly xAxis: Rect;
	readonly table: Rect;
	/**
	 * Racers with a row in the table: every racer where the rows allow, else as many as leave the
	 * plot MIN_PLOT_HEIGHT rows (at least MIN_TABLE_RACERS): the table then shows a window of them.
	 */
	readonly tableRacers: number;
	readonly columns: readonly TableColumn[];
	/** Features whose weight did not fit in the table. */
	readonly hiddenWeights: number;
	readonly footer: Rect;
};

export type TooSmallLayout = {
	readonly kind: 'too-small';
	readonly width: number;
	readonly height: number;
	/** The size the full screen needs for this race. */
	readonly need: {readonly columns: number; readonly rows: number};
};

export type Layout = FullLayout | TooSmallLayout;

/**
 * Rows left free at the bottom. In Ink 6.8 a frame as tall as the terminal makes every render
 * start with a clear that wipes the user's scrollback; gdrace draws through its own frame writer,
 * but keeping the frame a row short also leaves the cursor's row free on terminals that scroll
 * when the last cell is written.
 */
export const HEADROOM = 1;

/** The narrowest chart worth drawing. */
export const MIN_PLOT_WIDTH = 24;
export const MIN_PLOT_HEIGHT = 4;
/** Fewest racers' rows the table shows (all of them for a race of fewer). */
export const MIN_TABLE_RACERS = 4;
/** y labels ("1.23e+09" and a space) */
export const LABEL_WIDTH = 10;
const HEADER_ROWS = 2;
const LEGEND_ROWS = 1;
const X_AXIS_ROWS = 2;
const FOOTER_ROWS = 1;

/** Fixed widths so that live numbers never make columns jump. */
const COLUMN_WIDTHS: Readonly<Record<TableColumnId, number>> = {
	racer: 9,
	lr: 8,
	iterations: 8,
	// '2,530,000': the default race's sample-gradients, every digit (the samples clock compares them).
	samples: 9,
	weight: 9,
	bias: 9,
	loss: 10,
	gap: 7,
	// 'reached @12,345'
	status: 15,
	rate: 8,
};

/** The status column with room for the tolerance: 'reached ±1% @12,345'. */
export const WIDE_STATUS = 19;

/** Columns that always show. */
const REQUIRED: readonly TableColumnId[] = ['racer', 'iterations', 'loss', 'gap', 'status'];

/** What a wider table adds, in order: the wide status, a column, or every weight one by one. */
type Addition = 'wide-status' | Exclude<TableColumnId, 'racer' | 'iterations' | 'loss' | 'gap' | 'status'>;

/**
 * The optional columns in the order they are given room as the terminal widens. Each needs
 * every one before it, so a wider table only adds columns and never swaps one for another; a new
 * column joins this list at its priority. Whenever a weight is left out the status is the last
 * column shown, and the count of missing weights goes in its title's blank tail.
 */
// The lr (issue 7) last: from 114 columns it shows.
const PRIORITY: readonly Addition[] = ['wide-status', 'weight', 'bias', 'samples', 'rate', 'lr'];

/** The narrowest frame: the required table columns. */
export const MIN_COLUMNS = Math.max(
	REQUIRED.reduce((sum, id) => sum + COLUMN_WIDTHS[id] + 1, -1),
	LABEL_WIDTH + MIN_PLOT_WIDTH,
);

/** Picks the table's columns for a width, in display order, and counts the weights that did not fit. */
export function fitColumns(width: number, features: number): {columns: TableColumn[]; hiddenWeights: number} {
	const chosen = new Set<TableColumnId>(REQUIRED);
	let used = REQUIRED.reduce((sum, id) => sum + COLUMN_WIDTHS[id] + 1, -1);
	let status = COLUMN_WIDTHS.status;
	let weights = 0;
	const room = (cells: number): boolean => used + cells <= width;
	grow: for (const addition of PRIORITY) {
		switch (addition) {
			case 'wide-status': {
				if (!room(WIDE_STATUS - status)) break grow;
				used += WIDE_STATUS - status;
				status = WIDE_STATUS;
				break;
			}

			case 'weight': {
				for (; weights < features; weights++) {
					if (!room(COLUMN_WIDTHS.weight + 1)) break grow;
					used += COLUMN_WIDTHS.weight + 1;
				}

				break;
			}

			default: {
				if (!room(COLUMN_WIDTHS[addition] + 1)) break grow;
				chosen.add(addition);
				used += COLUMN_WIDTHS[addition] + 1;
			}
		}
	}

	const columns: TableColumn[] = [];
	for (const id of TABLE_COLUMN_IDS) {
		if (id === 'weight') {
			for (let feature = 0; feature < weights; feature++) {
				columns.push({id, width: COLUMN_WIDTHS.weight, feature});
			}
		} else if (chosen.has(id)) {
			columns.push({id, width: id === 'status' ? status : COLUMN_WIDTHS[id]});
		}
	}

	return {columns, hiddenWeights: features - weights};
}

/** Lays out the screen for a terminal of `columns` × `rows` and a race of `racers` racers over `features` features. */
export function calculateLayout(columns: number, rows: number, racers: number, features: number): Layout {
	// Everything but the plot and the racers' rows (the table's column titles and optimum row included).
	const fixedRows = HEADER_ROWS + LEGEND_ROWS + X_AXIS_ROWS + 2 + FOOTER_ROWS;
	const need = {columns: MIN_COLUMNS, rows: fixedRows + Math.min(racers, MIN_TABLE_RACERS) + MIN_PLOT_HEIGHT + HEADROOM};
	const width = Math.max(0, Math.floor(columns));
	const height = Math.max(0, Math.floor(rows) - HEADROOM);
	if (width < need.columns || rows < need.rows) {
		return {kind: 'too-small', width, height, need};
	}

	// The table takes a row per racer as far as the plot keeps its least height; the plot the rest.
	const tableRacers = Math.min(racers, height - fixedRows - MIN_PLOT_HEIGHT);
	const tableRows = tableRacers + 2;
	const plotHeight = height - fixedRows - tableRacers;
	const {columns: tableColumns, hiddenWeights} = fitColumns(width, features);
	let y = 0;
	const header = {x: 0, y, width, height: HEADER_ROWS};
	y += HEADER_ROWS;
	const legend = {x: 0, y, width, height: LEGEND_ROWS};
	y += LEGEND_ROWS;
	const labels = {x: 0, y, width: LABEL_WIDTH, height: plotHeight};
	const plot = {x: LABEL_WIDTH, y, width: width - LABEL_WIDTH, height: plotHeight};
	y += plotHeight;
	const xAxis = {x: 0, y, width, height: X_AXIS_ROWS};
	y += X_AXIS_ROWS;
	const table = {x: 0, y, width, height: tableRows};
	y += tableRows;
	const footer = {x: 0, y, width, height: FOOTER_ROWS};
	y += FOOTER_ROWS;
	return {
		kind: 'full',
		width,
		height: y,
		header,
		legend,
		labels,
		plot,
		xAxis,
		table,
		tableRacers,
		columns: tableColumns,
		hiddenWeights,
		footer,
	};
}
