import {useEffect, useState} from 'react';
import {useStdout} from 'ink';

/** The terminal's size in cells. */
export type TerminalSize = {
	readonly columns: number;
	readonly rows: number;
};

/** Reads the size a stream reports, with the classic 80×24 when it reports none (not a TTY). */
export function readTerminalSize(stream: {readonly columns?: number; readonly rows?: number}): TerminalSize {
	return {columns: stream.columns || 80, rows: stream.rows || 24};
}

/**
 * The terminal's size, following resizes. Ink 6.8 re-renders nothing on its own when the terminal
 * changes size and ignores height changes altogether, so the app listens to 'resize' itself.
 */
export default function useTerminalSize(): TerminalSize {
	const {stdout} = useStdout();
	const [size, setSize] = useState(() => readTerminalSize(stdout));
	useEffect(() => {
		const onResize = () => {
			const next = readTerminalSize(stdout);
			setSize(previous => (previous.columns === next.columns && previous.rows === next.rows ? previous : next));
		};

		stdout.on('resize', onResize);
		onResize();
		return () => {
			stdout.off('resize', onResize);
		};
	}, [stdout]);
	return size;
}
