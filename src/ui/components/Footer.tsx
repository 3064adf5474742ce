import {Box, Text} from 'ink';
import {ACTIONS, KEYMAP} from '../keymap.js';

export type FooterProps = {
	readonly width: number;
	/** Whether keys are read: without (stdin not a terminal) the footer says so instead. @default true */
	readonly keys?: boolean;
};

/** The footer when stdin is not a terminal. */
export const NO_KEYS_TEXT = 'keys off: stdin is not a terminal · Ctrl+C stops the race';

/** The main keys, generated from the key map; whatever does not fit the width is left to `?`. */
export function footerText(width: number): string {
	let text = '';
	for (const action of ACTIONS) {
		const binding = KEYMAP[action];
		if (!binding.footer) {
			continue;
		}

		const item = `${binding.label} ${binding.short}`;
		const next = text === '' ? item : `${text}  ${item}`;
		if (next.length > width) {
			break;
		}

		text = next;
	}

	return text;
}

/** One line of key hints under the table. */
export default function Footer({width, keys = true}: FooterProps) {
	return (
		<Box width={width} height={1}>
			<Text dimColor wrap="truncate">
				{keys ? footerText(width) : NO_KEYS_TEXT}
			</Text>
		</Box>
	);
}
