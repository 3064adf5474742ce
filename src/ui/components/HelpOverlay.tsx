import {Box, Text} from 'ink';
import {ACTIONS, KEYMAP} from '../keymap.js';
import {wrapWords} from '../../wrap-words.js';

export type HelpOverlayProps = {
	readonly width: number;
	readonly height: number;
};

/** The overlay's first line. */
export const HELP_TITLE = 'Keys (? or Esc closes this help)';

/** Cells left free on each side. */
const PADDING = 1;

/** One line of the help: the keys' label (bold; '' on a continuation line) and text. */
export type HelpLine = {readonly label: string; readonly text: string};

/**
 * The help as lines of `width` × `height` cells (inside the padding): the title, then every
 * binding with its help text wrapped under itself. When there are too few rows for that, a
 * binding whose text would take rows the later ones need gets one line cut with '…'; keys that
 * still do not fit are left out.
 */
export function helpLines(width: number, height: number): HelpLine[] {
	const inner = Math.max(1, width - 2 * PADDING);
	const labelWidth = Math.max(...ACTIONS.map((action) => KEYMAP[action].label.length)) + 2;
	const textWidth = Math.max(1, inner - labelWidth);
	const lines: HelpLine[] = [{label: '', text: HELP_TITLE}];
	ACTIONS.forEach((action, index) => {
		const {label, help} = KEYMAP[action];
		const wrapped = wrapWords(help, textWidth);
		const later = ACTIONS.length - index - 1;
		if (lines.length + wrapped.length + later <= height) {
			wrapped.forEach((text, row) => lines.push({label: row === 0 ? label.padEnd(labelWidth) : ' '.repeat(labelWidth), text}));
		} else {
			lines.push({label: label.padEnd(labelWidth), text: help.length <= textWidth ? help : `${help.slice(0, Math.max(0, textWidth - 1))}…`});
		}
	});
	return lines.slice(0, Math.max(0, height));
}

/** Every binding of the key map: the same data the footer is made from. */
export default function HelpOverlay({width, height}: HelpOverlayProps) {
	const lines = helpLines(width, height);
	return (
		<Box flexDirection="column" width={width} height={height} paddingX={PADDING} overflow="hidden">
			{lines.map((line, index) => (
				<Text key={index} bold={index === 0} wrap="truncate">
					<Text bold>{line.label}</Text>
					{line.text}
				</Text>
			))}
		</Box>
	);
}
