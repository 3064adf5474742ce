import {Box, Text} from 'ink';
import {ACTIONS, KEYMAP} from '../keymap.js';

export type HelpOverlayProps = {
	readonly width: number;
	readonly height: number;
};

/** Every binding of the key map, one per line: the same data the footer is made from. */
export default function HelpOverlay({width, height}: HelpOverlayProps) {
	const labelWidth = Math.max(...ACTIONS.map(action => KEYMAP[action].label.length)) + 2;
	return (
		<Box flexDirection="column" width={width} height={height} paddingX={1} overflow="hidden">
			<Text bold wrap="truncate">
				Keys (? or Esc closes this help)
			</Text>
			{ACTIONS.map(action => (
				<Text key={action} wrap="truncate">
					<Text bold>{KEYMAP[action].label.padEnd(labelWidth)}</Text>
					{KEYMAP[action].help}
				</Text>
			))}
		</Box>
	);
}
