import {createContext} from 'react';
import type {Canvas, CellRect} from '../terminal/cells.js';

/**
 * Where the plot's cells go: the frame writer draws a canvas straight onto the terminal, past
 * Ink's per-character output path. Without one (component tests), the plot is rendered as text.
 */
export type LayerSink = {
	setLayer(id: string, rect: CellRect | null, canvas?: Canvas | null): void;
	/** Leaves screen rows to layers: Ink's frame flows around them (see FrameWriter.reserveRows). */
	reserveRows(id: string, band: {readonly y: number; readonly height: number} | null): void;
	/** The terminal size the frame being committed was laid out for (see FrameWriter.declareSize). */
	declareSize(cols: number, rows: number): void;
};

export const LayerContext = createContext<LayerSink | null>(null);
