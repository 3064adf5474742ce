import React, {memo} from 'react';
import {Box, Text} from 'ink';
import type {Clock, Coordinates, Optimum, RacerSnapshot} from '../../engine/types.js';
import {seriesColor} from '../chart.js';
import {alignRight, formatCompact, formatCount, formatFixed, formatPercent, formatRate, formatSignificant} from '../format.js';
import type {TableColumn} from '../layout.js';
import {racerLabel} from './labels.js';

export type WeightsTableProps = {
	readonly width: number;
	readonly columns: readonly TableColumn[];
	readonly features: readonly string[];
	/** Features whose weight column did not fit. */
	readonly hiddenWeights: number;
	readonly racers: readonly RacerSnapshot[];
	readonly optimum: Optimum;
	/** Updates per second per racer, in racer order. */
	readonly rates: readonly number[];
	readonly clock: Clock;
	readonly dataRows: number;
	readonly color: boolean;
};

/** Where a racer finished or diverged, in the x-axis's unit: iterations, passes over the data, or ms. */
export function coordinateText(at: Coordinates, clock: Clock, dataRows: number): string {
	if (clock === 'samples') return formatCompact(at.samples / dataRows, 3);
	if (clock === 'time') return formatCompact(at.ms, 3);
	return at.iteration < 1e5 ? String(Math.round(at.iteration)) : formatCompact(at.iteration, 3);
}

/** The status column's words and color: running, finished @…, diverged @…, done. */
export function statusOf(racer: RacerSnapshot, clock: Clock, dataRows: number): {text: string; color: 'green' | 'red' | undefined} {
	if (racer.diverged !== null) return {text: `diverged @${coordinateText(racer.diverged, clock, dataRows)}`, color: 'red'};
	if (racer.finished !== null) return {text: `finished @${coordinateText(racer.finished, clock, dataRows)}`, color: 'green'};
	return {text: racer.state === 'done' ? 'done' : 'running', color: undefined};
}

/** loss − L* as a share of L* (a plain number when L* is 0: a perfect fit). */
function gapText(gap: number, lossStar: number, width: number): string {
	return lossStar > 0 ? formatPercent(gap / lossStar, width) : formatSignificant(gap, width, 3);
}

function title(column: TableColumn, features: readonly string[]): string {
	switch (column.id) {
		case 'racer':
			return 'racer'.padEnd(column.width);
		case 'iterations':
			return alignRight('iter', column.width);
		case 'samples':
			return alignRight('samples', column.width);
		case 'weight': {
			const name = features[column.feature ?? 0] ?? '';
			return alignRight(name.length > column.width ? `${name.slice(0, column.width - 1)}…` : name, column.width);
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

type Cell = {readonly text: string; readonly color?: string | undefined; readonly dim?: boolean};

function racerCells(racer: RacerSnapshot, slot: number, props: WeightsTableProps): Cell[] {
	const {columns, optimum, rates, clock, dataRows, color} = props;
	return columns.map((column): Cell => {
		const w = column.width;
		switch (column.id) {
			case 'racer':
				return {text: racerLabel(racer.id).slice(0, w).padEnd(w), color: color ? seriesColor(slot) : undefined};
			case 'iterations':
				return {text: formatCount(racer.iterations, w)};
			case 'samples':
				return {text: formatCount(racer.samples, w)};
			case 'weight':
				return {text: formatFixed(racer.weights[column.feature ?? 0] ?? Number.NaN, w)};
			case 'bias':
				return {text: formatFixed(racer.bias, w)};
			case 'loss':
				return {text: formatSignificant(racer.loss, w)};
			case 'gap':
				return {text: gapText(racer.gap, optimum.loss, w)};
			case 'status': {
				const status = statusOf(racer, clock, dataRows);
				return {text: status.text.slice(0, w).padEnd(w), color: color ? status.color : undefined};
			}
			case 'rate':
				return {text: formatRate(rates[slot] ?? 0, w), dim: true};
		}
	});
}

function optimumCells(props: WeightsTableProps): Cell[] {
	const {columns, optimum} = props;
	return columns.map((column): Cell => {
		const w = column.width;
		switch (column.id) {
			case 'racer':
				return {text: 'optimum'.padEnd(w), dim: true};
			case 'weight':
				return {text: formatFixed(optimum.weights[column.feature ?? 0] ?? Number.NaN, w), dim: true};
			case 'bias':
				return {text: formatFixed(optimum.bias, w), dim: true};
			case 'loss':
				return {text: formatSignificant(optimum.loss, w), dim: true};
			case 'status':
				return {text: (optimum.unique ? 'L*' : 'L*, not unique').slice(0, w).padEnd(w), dim: true};
			default:
				return {text: ' '.repeat(w)};
		}
	});
}

/** One line of cells one blank apart; runs of plain cells go out as one string. */
function Row({cells}: {readonly cells: readonly Cell[]}) {
	const parts: React.ReactNode[] = [];
	let plain = '';
	cells.forEach((cell, index) => {
		const gap = index > 0 ? ' ' : '';
		if (cell.color === undefined && !cell.dim) {
			plain += gap + cell.text;
			return;
		}
		plain += gap;
		if (plain !== '') parts.push(plain);
		plain = '';
		parts.push(
			<Text key={index} color={cell.color} dimColor={cell.dim}>
				{cell.text}
			</Text>,
		);
	});
	if (plain !== '') parts.push(plain);
	return <Text wrap="truncate">{parts}</Text>;
}

/**
 * Per racer: iterations, samples, each weight by feature name, bias, loss, gap to L*, status and
 * updates per second, in fixed-width columns (numbers never make a column jump); then the optimum.
 */
function WeightsTable(props: WeightsTableProps) {
	const {width, columns, features, hiddenWeights, racers} = props;
	let header = columns.map((column) => title(column, features)).join(' ');
	if (hiddenWeights > 0) {
		const note = ` +${hiddenWeights} weights`;
		if (header.length + note.length <= width) header += note;
	}
	return (
		<Box flexDirection="column" width={width} height={racers.length + 2}>
			<Text bold wrap="truncate">
				{header}
			</Text>
			{racers.map((racer, slot) => (
				<Row key={racer.id} cells={racerCells(racer, slot, props)} />
			))}
			<Row cells={optimumCells(props)} />
		</Box>
	);
}

export default memo(WeightsTable);
