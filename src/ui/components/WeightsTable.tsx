import {memo, useMemo} from 'react';
import {Box, Text} from 'ink';
import type {Clock, Coordinates, Optimum, RacerSnapshot} from '../../engine/types.js';
import {SERIES_COLORS} from '../chart.js';
import {alignRight, formatCompact, formatCount, formatFixed, formatGrouped, formatIteration, formatPercent, formatRate, formatSignificant} from '../format.js';
import type {Rect, TableColumn} from '../layout.js';
import type {CellStyle} from '../terminal/style.js';
import {racerLabel} from './labels.js';
import {padStartToWidth, textWidth, truncateToWidth} from '../../text-width.js';
import TextLayer from './TextLayer.js';
import type {SpanLine} from './TextLayer.js';

export type WeightsTableProps = {
	/** The table's rows (titles, racers, optimum), in frame coordinates. */
	readonly rect: Rect;
	readonly columns: readonly TableColumn[];
	readonly features: readonly string[];
	/** Features whose weight column did not fit. */
	readonly hiddenWeights: number;
	readonly racers: readonly RacerSnapshot[];
	readonly optimum: Optimum;
	/** Updates per second per racer, in racer order. */
	readonly rates: readonly number[];
	/** The racer `[` and `]` act on, by index: its name is drawn inverse and its lr marked ›. */
	readonly selected: number;
	/** Racers the chart and the map do not draw (`1`…`9`, `v`), by index: their names are dim. @default none */
	readonly hidden?: ReadonlySet<number>;
	/** Racers' rows the table has (the layout's `tableRacers`): fewer than the racers, it shows the selected racer's page. @default every racer */
	readonly rows?: number;
	/** 2/λmax: a plain full-batch racer with an lr at or above it is marked ! (it diverges). */
	readonly lrMax: number;
	readonly clock: Clock;
	readonly dataRows: number;
	/** The finish tolerance (0.01 = 1 %), said in the status. */
	readonly tolerance: number;
	readonly color: boolean;
};

/**
 * Where a racer finished or diverged, in the x-axis's unit, one precision per clock: iterations
 * with separators ('2,748'; mb-epoch's fraction of a pass as '162.88', cut, not rounded), passes over the data
 * ('5.44') or ms ('13.04') with two decimals.
 */
export function coordinateText(at: Coordinates, clock: Clock, dataRows: number): string {
	if (clock === 'samples') return formatGrouped(at.samples / dataRows, 2);
	if (clock === 'time') return formatGrouped(at.ms, 2);
	// Truncated, as the iterations column: 162.996 is not yet pass 163.
	return formatIteration(at.iteration, 24).trimStart();
}

/** The finish tolerance as the status says it: 0.01 → '±1%'. */
export function toleranceText(tolerance: number): string {
	return `±${Number((tolerance * 100).toPrecision(6))}%`;
}

/**
 * The status column's words and color, the longest form that fits `width`: a racer that finished
 * says when it first reached the finish line (`reached ±1% @2,951`; its current gap is in the gap
 * column), a diverged one where it stopped (`diverged @8`), the others `running` or `done`.
 * @default width unlimited
 */
export function statusOf(
	racer: RacerSnapshot,
	clock: Clock,
	dataRows: number,
	tolerance: number,
	width = Number.POSITIVE_INFINITY,
): {text: string; color: 'green' | 'red' | undefined} {
	const fit = (forms: readonly string[]): string => forms.find((form) => form.length <= width) ?? forms.at(-1)!.slice(0, width);
	if (racer.diverged !== null) {
		return {text: fit([`diverged @${coordinateText(racer.diverged, clock, dataRows)}`, 'diverged']), color: 'red'};
	}
	if (racer.finished !== null) {
		const at = `@${coordinateText(racer.finished, clock, dataRows)}`;
		return {text: fit([`reached ${toleranceText(tolerance)} ${at}`, `reached ${at}`, at]), color: 'green'};
	}
	return {text: racer.state === 'done' ? 'done' : 'running', color: undefined};
}

/**
 * The titles of `columns`, one blank apart; when not every weight fits, the count of those left
 * out at the line's right end ('+3 weights', or '+3' when short of room). The layout keeps the
 * status column last whenever weights are left out, so its title's blank tail always has room.
 */
export function titleLine(
	columns: readonly TableColumn[],
	features: readonly string[],
	hiddenWeights: number,
	width: number,
	shown: TableWindow | null = null,
): string {
	const text = columns
		.map((column) => title(column, features, shown))
		.join(' ')
		.trimEnd();
	if (hiddenWeights <= 0) return text;
	const long = `+${hiddenWeights} weights`;
	const used = textWidth(text);
	const note = used + 1 + long.length <= width ? long : `+${hiddenWeights}`;
	return text + note.padStart(Math.max(note.length + 1, width - used));
}

/**
 * The racer column's title when the table shows a window of the racers: which ones, of how many
 * ('4–20/20'), without the count where that is too long, or only where they start ('9991…').
 */
export function windowText(shown: TableWindow, width: number): string {
	const range = `${shown.first + 1}–${shown.first + shown.count}`;
	const whole = `${range}/${shown.total}`;
	return whole.length <= width ? whole : range.length <= width ? range : `${shown.first + 1}…`.slice(0, width);
}

/** Which racers' rows the table shows: `count` from index `first`, of `total`. */
export type TableWindow = {readonly first: number; readonly count: number; readonly total: number};

/**
 * The racers the table shows when it has rows for `rows` of `total`: pages of `rows` racers, the
 * page holding the selected racer (the last page ends at the last racer), so that ↑/↓ turn the
 * page when they leave it. Null when every racer has a row.
 */
export function tableWindow(total: number, rows: number, selected: number): TableWindow | null {
	if (rows >= total) return null;
	const count = Math.max(1, rows);
	const page = Math.floor(Math.min(Math.max(0, selected), total - 1) / count) * count;
	return {first: Math.min(page, total - count), count, total};
}

function title(column: TableColumn, features: readonly string[], shown: TableWindow | null): string {
	switch (column.id) {
		case 'racer':
			return (shown === null ? 'racer' : windowText(shown, column.width)).padEnd(column.width);
		case 'lr':
			return alignRight('lr', column.width);
		case 'iterations':
			return alignRight('iter', column.width);
		case 'samples':
			return alignRight('samples', column.width);
		case 'weight': {
			// In columns: a Korean or Chinese name takes two a character.
			return padStartToWidth(truncateToWidth(features[column.feature ?? 0] ?? '', column.width), column.width);
		}
		case 'bias':
			return alignRight('bias', column.width);
		case 'loss':
			return alignRight('loss', column.width);
		case 'gap':
			return alignRight('gap', column.width);
		case 'status':
			return 'status'.padEnd(column.width);
		case 'rate':
			return alignRight('upd/s', column.width);
	}
}

// Palette of the rows: 0 plain, 1 dim, 2 green, 3 red, 4 + slot the racers' colors, then the same
// inverse (the selected racer); last a hidden racer's name, dim, and the same inverse.
const PLAIN = 0;
const DIM = 1;
const GREEN = 2;
const RED = 3;
const SLOT = 4;
const SELECTED = SLOT + SERIES_COLORS.length;
const HIDDEN = SELECTED + SERIES_COLORS.length;
const HIDDEN_SELECTED = HIDDEN + 1;
const PALETTES: {readonly color: readonly CellStyle[]; readonly plain: readonly CellStyle[]} = {
	color: [
		{},
		{dim: true},
		{fg: 'green'},
		{fg: 'red'},
		...SERIES_COLORS.map((fg): CellStyle => ({fg})),
		...SERIES_COLORS.map((fg): CellStyle => ({fg, inverse: true})),
		{dim: true},
		{dim: true, inverse: true},
	],
	plain: [
		{},
		{dim: true},
		{},
		{},
		...SERIES_COLORS.map((): CellStyle => ({})),
		...SERIES_COLORS.map((): CellStyle => ({inverse: true})),
		{dim: true},
		{dim: true, inverse: true},
	],
};

/** Whether a racer is plain gradient descent on the full batch (the step lrMax bounds). */
export function isPlainFullBatch(racer: RacerSnapshot): boolean {
	return racer.rule === 'sgd' && racer.batch.kind === 'full';
}

/** The lr column: `›` on the selected racer, the lr, `!` when a plain full-batch lr is at or above 2/λmax. */
export function lrText(racer: RacerSnapshot, selected: boolean, lrMax: number, width: number): {text: string; above: boolean} {
	const above = isPlainFullBatch(racer) && racer.lr >= lrMax;
	const mark = above ? '!' : '';
	const value = formatCompact(racer.lr, 3);
	const body = alignRight(`${value}${mark}`, width - 1);
	return {text: `${selected ? '›' : ' '}${body}`, above};
}

type Cell = {readonly text: string; readonly style?: number};

function racerCells(racer: RacerSnapshot, slot: number, props: WeightsTableProps): Cell[] {
	const {columns, rates, clock, dataRows, tolerance} = props;
	return columns.map((column): Cell => {
		const w = column.width;
		switch (column.id) {
			case 'racer':
				return {
					text: racerLabel(racer.id).slice(0, w).padEnd(w),
					style: props.hidden?.has(slot) === true ? (slot === props.selected ? HIDDEN_SELECTED : HIDDEN) : (slot === props.selected ? SELECTED : SLOT) + (slot % SERIES_COLORS.length),
				};
			case 'lr': {
				const lr = lrText(racer, slot === props.selected, props.lrMax, w);
				return {text: lr.text, style: lr.above ? RED : PLAIN};
			}
			case 'iterations':
				return {text: formatIteration(racer.iterations, w)};
			case 'samples':
				return {text: formatCount(racer.samples, w)};
			case 'weight':
				return {text: formatFixed(racer.weights[column.feature ?? 0] ?? Number.NaN, w)};
			case 'bias':
				return {text: formatFixed(racer.bias, w)};
			case 'loss':
				return {text: formatSignificant(racer.loss, w)};
			case 'gap':
				return {text: formatPercent(racer.relativeGap, w)};
			case 'status': {
				const status = statusOf(racer, clock, dataRows, tolerance, w);
				return {text: status.text.padEnd(w), style: status.color === 'green' ? GREEN : status.color === 'red' ? RED : PLAIN};
			}
			case 'rate':
				return {text: formatRate(rates[slot] ?? 0, w), style: DIM};
		}
	});
}

function optimumCells(props: WeightsTableProps): Cell[] {
	const {columns, optimum} = props;
	return columns.map((column): Cell => {
		const w = column.width;
		switch (column.id) {
			case 'racer':
				return {text: 'optimum'.padEnd(w), style: DIM};
			case 'weight':
				return {text: formatFixed(optimum.weights[column.feature ?? 0] ?? Number.NaN, w), style: DIM};
			case 'bias':
				return {text: formatFixed(optimum.bias, w), style: DIM};
			case 'loss':
				return {text: formatSignificant(optimum.loss, w), style: DIM};
			case 'status':
				return {text: (optimum.unique ? 'L*' : 'L*, not unique').slice(0, w).padEnd(w), style: DIM};
			default:
				return {text: ' '.repeat(w)};
		}
	});
}

/** Whether a style shows on a blank: only inverse video does here (a dim or colored space looks like any other). */
function showsOnBlank(style: number): boolean {
	return (style >= SELECTED && style < HIDDEN) || style === HIDDEN_SELECTED;
}

/**
 * One line of cells one blank apart, as spans. A cell's trailing blanks are plain unless its
 * style shows on them, so that a row ends in blanks the frame writer can erase rather than write
 * (the optimum row's status is dim and would otherwise run styled to the table's edge).
 */
function spans(cells: readonly Cell[]): SpanLine {
	return cells.flatMap((cell, index) => {
		const style = cell.style ?? PLAIN;
		const text = index > 0 ? ` ${cell.text}` : cell.text;
		const body = style === PLAIN || showsOnBlank(style) ? text : text.trimEnd();
		return body.length === text.length ? [{text, style}] : [{text: body, style}, {text: text.slice(body.length), style: PLAIN}];
	});
}

/**
 * Per racer: iterations, samples, each weight by feature name, bias, loss, gap to L*, status and
 * updates per second, in fixed-width columns (numbers never make a column jump); then the optimum.
 */
function WeightsTable(props: WeightsTableProps) {
	const {rect, columns, features, hiddenWeights, racers, color, rows = racers.length} = props;
	const {width} = rect;
	const shown = tableWindow(racers.length, rows, props.selected);
	const header = titleLine(columns, features, hiddenWeights, width, shown);
	const first = shown?.first ?? 0;
	const count = shown?.count ?? racers.length;
	// The rows change every frame: a layer under the titles, not Ink text.
	const rowsRect = useMemo(() => ({x: rect.x, y: rect.y + 1, width, height: count + 1}), [rect.x, rect.y, width, count]);
	const lines = [...racers.slice(first, first + count).map((racer, index) => spans(racerCells(racer, first + index, props))), spans(optimumCells(props))];
	return (
		<Box flexDirection="column" width={width}>
			<Text bold wrap="truncate">
				{header}
			</Text>
			<TextLayer id="table" rect={rowsRect} lines={lines} palette={color ? PALETTES.color : PALETTES.plain} fullRows />
		</Box>
	);
}

export default memo(WeightsTable);
