import {memo, useMemo} from 'react';
import {Box, Text} from 'ink';
import type {Clock} from '../../engine/types.js';
import {TIME_UNIT_MS} from '../../engine/types.js';
import {nameListText} from '../../column-list.js';
import {textWidth, truncateToWidth} from '../../text-width.js';
import {formatCompact, formatCount, formatDuration} from '../format.js';
import type {Rect} from '../layout.js';
import type {CellStyle} from '../terminal/style.js';
import TextLayer from './TextLayer.js';

/** What the header shows of the data set. */
export type HeaderData = {
	/** The file name as shown (no directories). */
	readonly name: string;
	readonly rows: number;
	readonly features: readonly string[];
	readonly target: string;
	readonly scale: string;
};

export type HeaderProps = {
	/** The header's two rows, in frame coordinates. */
	readonly rect: Rect;
	readonly data: HeaderData;
	/** The clock the race is scheduled by. */
	readonly clock: Clock;
	/** Where every racer is, in `clock` units (the race's position). */
	readonly position: number;
	readonly epochs: number;
	/** The clock the screen measures in (`c`); the racers' range in it is shown when it is not `clock`. @default clock */
	readonly view?: Clock;
	/** The lowest and highest racer position in `view` units. */
	readonly range?: readonly [number, number];
	readonly seed: number;
	/** Clock units per second asked for. */
	readonly speed: number;
	/** Clock units per second achieved, when the machine does not keep up with `speed`. @default null */
	readonly achieved?: number | null;
	/** Every racer diverged: the state says so rather than "done". @default false */
	readonly diverged?: boolean;
	readonly elapsedMs: number;
	readonly paused: boolean;
	readonly over: boolean;
	/** Replaying: `position` is the replay cursor's, and the state says 'replay'. @default false */
	readonly replay?: boolean;
	readonly color: boolean;
	/** 2/λmax, the stable step of plain full-batch GD (shown as `lr < 2/λmax = …`). */
	readonly lrMax: number;
	/** Labels of the plain full-batch racers whose lr is at or above it (marked in the header). */
	readonly above: readonly string[];
	/**
	 * The selected racer's lr (`selectedLrText`) when the table has no room for its lr column:
	 * shown after the speed, so that `[` and `]` are seen at every width. @default null
	 */
	readonly selectedLr?: string | null;
};

/** `adam lr 0.2`: the selected racer's learning rate, `!` when it is plain full-batch GD at or above 2/λmax. */
export function selectedLrText(label: string, lr: number, above: boolean): string {
	return `${label} lr ${formatCompact(lr, 3)}${above ? '!' : ''}`;
}

/** `lr < 2/λmax = 0.732`, and `: GD above` when a plain full-batch racer's lr is at or above the bound. */
export function lrBoundText(lrMax: number, above: readonly string[]): string {
	const bound = `lr < 2/λmax = ${formatCompact(lrMax, 3)}`;
	if (above.length === 0) return bound;
	return `${bound}: ${above.length === 1 ? above[0]! : `${above[0]!} +${above.length - 1}`} above!`;
}

/** A position on a clock in the x-axis's unit: iterations, passes over the data, or ms of CPU time. */
export function clockPosition(clock: Clock, units: number): string {
	if (clock === 'time') return `${amount(units * TIME_UNIT_MS)} ms`;
	if (clock === 'samples') return `${amount(units)} passes`;
	return formatCount(Math.floor(units), 16).trimStart();
}

/** The racers' positions in a clock other than the race's: `samples 0.988–470 passes`, or one value when they agree. */
export function rangeText(clock: Clock, [low, high]: readonly [number, number]): string {
	const lowText = clockPosition(clock, low);
	const highText = clockPosition(clock, high);
	if (lowText === highText) return `${clock} ${highText}`;
	const unit = / \D+$/.exec(highText)?.[0] ?? '';
	return `${clock} ${lowText.slice(0, lowText.length - unit.length)}–${highText}`;
}

/** The speed part: what is asked for, or what is achieved when the machine does not keep up. */
export function speedPart(clock: Clock, speed: number, achieved: number | null): string {
	if (achieved === null) return `speed ${speedText(clock, speed)}`;
	return `speed ${speedText(clock, achieved)} (set ${speedText(clock, speed).replace(/ .*$/, '')})`;
}

/** Up to four significant digits below 1,000 ('12.35'), whole with separators above ('2,637'). */
function amount(value: number): string {
	return value < 1000 ? formatCompact(value, 4) : formatCount(value, 16).trimStart();
}

/** Clock units per second in words: '256 it/s', '8 passes/s', '25.6 ms/s'. */
export function speedText(clock: Clock, speed: number): string {
	if (clock === 'time') return `${formatCompact(speed * TIME_UNIT_MS)} ms/s`;
	return `${formatCompact(speed)} ${clock === 'samples' ? 'passes' : 'it'}/s`;
}

/**
 * The parts joined by ' · ' in the order given, as many as fit the width whole; a first part too
 * long is cut with '…'. A part may carry a rank (lower is kept first, default its place): when
 * the width is short, the parts are taken by rank until one does not fit, so that an important
 * part late in the line (the selected lr) outlives a less important one before it (the x-axis
 * range). Stopping at the first that does not fit keeps a shorter, later part from flickering
 * in and out as the numbers before it grow.
 */
export function fitParts(parts: readonly (string | {readonly text: string; readonly rank: number})[], width: number): string {
	const ranked = parts.map((part, index) => (typeof part === 'string' ? {text: part, rank: index, index} : {...part, index}));
	const kept = new Set<number>();
	let length = -3;
	for (const part of [...ranked].sort((a, b) => a.rank - b.rank || a.index - b.index)) {
		const size = textWidth(part.text);
		if (length + 3 + size > width) break;
		length += 3 + size;
		kept.add(part.index);
	}
	const text = ranked
		.filter((part) => kept.has(part.index))
		.map((part) => part.text)
		.join(' · ');
	const first = ranked.find((part) => part.index === 0);
	if (text === '' && first !== undefined && width > 0) return truncateToWidth(first.text, width);
	return text;
}

/** The race's state as one word. */
export function stateText(paused: boolean, over: boolean, diverged = false): string {
	return over ? (diverged ? 'diverged' : 'done') : paused ? 'paused' : 'running';
}

const PALETTE: readonly CellStyle[] = [{}];

/**
 * Two lines: the data set, then the race's clock and where every racer is in it (or the replay
 * cursor), the racers' range in the measured clock when `c` chose another, speed, seed, elapsed
 * time and state.
 */
function Header(props: HeaderProps) {
	const {rect, data, clock, position, epochs, seed, speed, elapsedMs, paused, over, replay = false, color, lrMax, above} = props;
	const view = props.view ?? clock;
	const state = replay ? 'replay' : stateText(paused, over, props.diverged);
	const stateColor = replay ? 'magenta' : over ? (props.diverged ? 'red' : 'green') : paused ? 'yellow' : 'cyan';
	const first = `gdrace  ${data.name} · ${data.rows} rows · ${nameListText(data.features)} → ${data.target} · ${data.scale}`;
	const shown = Math.min(position, epochs);
	const selectedLr = props.selectedLr ?? null;
	const bound = lrBoundText(lrMax, above);
	// Beside the selected lr, a bound that some racer is above is a warning: it comes before the seed.
	const warn = selectedLr !== null && above.length > 0;
	// Short of room, the parts go by rank: the selected lr (what `[` and `]` change) and a warning
	// outlive the x-axis range, which comes before them on the line.
	const second = fitParts(
		[
			{text: `${replay ? 'replay at' : 'clock'} ${clock} ${clockPosition(clock, shown)} / ${clockPosition(clock, epochs)}`, rank: 0},
			...(view === clock || props.range === undefined ? [] : [{text: `x-axis ${rangeText(view, props.range)}`, rank: 4}]),
			{text: speedPart(clock, speed, props.achieved ?? null), rank: 1},
			...(selectedLr === null ? [] : [{text: selectedLr, rank: 2}]),
			...(warn ? [{text: bound, rank: 3}] : []),
			{text: `seed ${seed}`, rank: 5},
			{text: `elapsed ${formatDuration(elapsedMs)}`, rank: 6},
			...(warn ? [] : [{text: bound, rank: 7}]),
		],
		rect.width,
	);
	const stateWidth = state.length + 2;
	const {width} = rect;
	// The second line changes every frame: a layer, not Ink text.
	const secondRect = useMemo(() => ({x: rect.x, y: rect.y + 1, width, height: 1}), [rect.x, rect.y, width]);
	const lines = useMemo(() => [[{text: second}]], [second]);
	return (
		<Box flexDirection="column" width={width}>
			<Box width={width} height={1}>
				<Box width={Math.max(0, width - stateWidth)} height={1}>
					<Text bold wrap="truncate">
						{first}
					</Text>
				</Box>
				<Box width={stateWidth} height={1} justifyContent="flex-end">
					<Text bold color={color ? stateColor : undefined} inverse={!color && (paused || replay)}>
						{state}
					</Text>
				</Box>
			</Box>
			<TextLayer id="header" rect={secondRect} lines={lines} palette={PALETTE} fullRows />
		</Box>
	);
}

export default memo(Header);
