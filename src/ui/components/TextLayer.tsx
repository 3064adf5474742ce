import {memo, useContext, useLayoutEffect, useMemo} from 'react';
import {Box, Text} from 'ink';
import type {Rect} from '../layout.js';
import {codePointWidth, SPACE} from '../terminal/cells.js';
import type {Canvas} from '../terminal/cells.js';
import type {CellStyle} from '../terminal/style.js';
import {LayerContext} from './layer-context.js';

/** A run of text in one style: `style` indexes the layer's palette. @default style 0 */
export type Span = {readonly text: string; readonly style?: number};

/** One line of spans. */
export type SpanLine = readonly Span[];

export type TextLayerProps = {
	/** The frame writer's layer id: unique on screen. */
	readonly id: string;
	/** Where the text goes, in frame coordinates. */
	readonly rect: Rect;
	readonly lines: readonly SpanLine[];
	/** The styles spans use. Keep one array per look (a module constant): the frame writer interns it by identity. */
	readonly palette: readonly CellStyle[];
	/**
	 * The rect spans whole screen rows: reserve them (Ink's frame flows around them) instead of
	 * laying out an empty box. @default false
	 */
	readonly fullRows?: boolean;
};

const QUESTION_MARK = 0x3f;

/** The lines as a canvas of `width × height` cells, blank-padded and clipped; anything but a single-width glyph shows as '?'. */
export function spansCanvas(lines: readonly SpanLine[], width: number, height: number, palette: readonly CellStyle[]): Canvas {
	const w = Math.max(0, Math.floor(width));
	const h = Math.max(0, Math.floor(height));
	const chars = new Uint16Array(w * h).fill(SPACE);
	const styles = new Uint8Array(w * h);
	for (let row = 0; row < Math.min(h, lines.length); row++) {
		let x = 0;
		for (const span of lines[row]!) {
			const style = span.style ?? 0;
			for (const character of span.text) {
				if (x >= w) break;
				const code = character.codePointAt(0)!;
				chars[row * w + x] = code < 0x10000 && codePointWidth(code) === 1 ? code : QUESTION_MARK;
				styles[row * w + x] = style;
				x++;
			}
		}
	}
	return {width: w, height: h, chars, styles, palette};
}

/** Ink's Text props for a cell style (the text fallback). */
function inkProps(style: CellStyle | undefined): Record<string, unknown> {
	if (style === undefined) return {};
	return {
		color: style.fg,
		backgroundColor: style.bg,
		bold: style.bold,
		dimColor: style.dim,
		italic: style.italic,
		underline: style.underline,
		inverse: style.inverse,
		strikethrough: style.strikethrough,
	};
}

/**
 * Text that changes every frame, drawn by the frame writer as a layer: Ink lays out an empty box
 * of the same size, so the text skips Ink's per-character output path (tokenizing and measuring
 * every styled character of every line, every frame). Without a frame writer (component tests)
 * it renders as Ink text.
 */
function TextLayer({id, rect, lines, palette, fullRows = false}: TextLayerProps) {
	const sink = useContext(LayerContext);
	const canvas = useMemo(() => (sink === null ? null : spansCanvas(lines, rect.width, rect.height, palette)), [sink, lines, rect.width, rect.height, palette]);
	useLayoutEffect(() => {
		if (sink !== null && canvas !== null) sink.setLayer(id, rect, canvas);
	}, [sink, id, rect, canvas]);
	useLayoutEffect(() => {
		if (sink !== null && fullRows) sink.reserveRows(id, rect);
	}, [sink, id, rect, fullRows]);
	useLayoutEffect(
		() => () => {
			sink?.setLayer(id, null);
			sink?.reserveRows(id, null);
		},
		[sink, id],
	);
	if (sink !== null) return fullRows ? null : <Box width={rect.width} height={rect.height} />;
	return (
		<Box flexDirection="column" width={rect.width} height={rect.height} overflow="hidden">
			{lines.map((line, row) => (
				<Text key={row} wrap="truncate">
					{line.map((span, index) => (
						<Text key={index} {...inkProps(palette[span.style ?? 0])}>
							{span.text}
						</Text>
					))}
				</Text>
			))}
		</Box>
	);
}

export default memo(TextLayer);
