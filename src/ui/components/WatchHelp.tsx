import {Box, Text} from 'ink';
import {wrapWords} from '../../wrap-words.js';

export type WatchHelpProps = {
	readonly width: number;
	readonly height: number;
};

/** A watcher's footer (`gdrace serve --shared`): the only keys it has. */
export const WATCH_FOOTER = 'watching: q leave  ? help';

/** The watcher's help: its two keys, and who steers. */
export const WATCH_HELP = [
	"Watching the presenter's race (? or Esc closes this help)",
	'q         leave (Ctrl+C too)',
	'?         show or hide this help',
	'',
	'The presenter steers: pausing, speed, restarts, the view (chart, gap, map, scale, smoothing) and replay follow their screen, at the size of yours. Other keys do nothing here.',
] as const;

/** Cells left free on each side. */
const PADDING = 1;

/** The help of a watching session, in place of the key map's help (whose keys do nothing for a watcher). */
export default function WatchHelp({width, height}: WatchHelpProps) {
	const inner = Math.max(1, width - 2 * PADDING);
	const lines = WATCH_HELP.flatMap((line) => (line === '' ? [''] : wrapWords(line, inner))).slice(0, Math.max(0, height));
	return (
		<Box flexDirection="column" width={width} height={height} paddingX={PADDING} overflow="hidden">
			{lines.map((line, index) => (
				<Text key={index} bold={index === 0} wrap="truncate">
					{line === '' ? ' ' : line}
				</Text>
			))}
		</Box>
	);
}
