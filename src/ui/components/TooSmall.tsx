import {Box, Text} from 'ink';

export type TooSmallProps = {
	readonly columns: number;
	readonly rows: number;
	readonly need: {readonly columns: number; readonly rows: number};
};

/** Shown instead of the race when the terminal cannot hold it. */
export default function TooSmall({columns, rows, need}: TooSmallProps) {
	const height = Math.max(1, rows - 1);
	return (
		<Box flexDirection="column" width={columns} height={height} overflow="hidden">
			<Text wrap="truncate">terminal too small</Text>
			<Text wrap="truncate">
				need {need.columns}×{need.rows}
			</Text>
			<Text wrap="truncate">
				have {columns}×{rows}
			</Text>
		</Box>
	);
}
