/**
 * The bundle's copy of Ink's `Output` remembers `get()`'s results (src/build/ink-output-memo.mjs):
 * it must give exactly what Ink's own gives, for every output, and compute afresh whenever a write's
 * lines (as its transformers make them), a place, the size or a clip differ. Ink's output.js is
 * bundled here twice, with the plugin and without, and the two compared.
 */
import {mkdtempSync, rmSync} from 'node:fs';
import {createRequire} from 'node:module';
import {tmpdir} from 'node:os';
import {dirname, join} from 'node:path';
import {pathToFileURL} from 'node:url';
import {build} from 'esbuild';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
// @ts-expect-error: a plain .mjs build helper without type declarations
import {MEMO_ENTRIES, inkOutputMemo, memoizeOutputSource} from '../../src/build/ink-output-memo.mjs';
import {generator} from '../random.js';

type Transformer = (line: string, index: number) => string;
type Operation = {kind: 'write'; x: number; y: number; text: string; transformers: Transformer[]} | {kind: 'clip'; clip: {x1?: number; x2?: number; y1?: number; y2?: number}} | {kind: 'unclip'};
type OutputLike = {
	write(x: number, y: number, text: string, options: {transformers: Transformer[]}): void;
	clip(clip: object): void;
	unclip(): void;
	get(): {output: string; height: number};
};
type OutputClass = new (options: {width: number; height: number}) => OutputLike;

const color = (code: number): Transformer => (line) => `\u001B[${code}m${line}\u001B[39m`;
const bold: Transformer = (line) => `\u001B[1m${line}\u001B[22m`;

let directory: string;
let Memo: OutputClass & {prototype: {__gdraceGet: () => unknown}};
let Plain: OutputClass;

/** Ink's get() runs: counted through the renamed original. */
let computed = 0;

/** Ink's output.js as one ES module (by its path: Ink's exports field hides it from imports). */
async function bundle(name: string, plugins: object[]): Promise<unknown> {
	const path = join(dirname(createRequire(import.meta.url).resolve('ink')), 'output.js');
	const outfile = join(directory, `${name}.mjs`);
	await build({
		stdin: {contents: `export {default} from ${JSON.stringify(path)};`, resolveDir: process.cwd(), loader: 'js'},
		bundle: true,
		format: 'esm',
		platform: 'node',
		outfile,
		logLevel: 'silent',
		plugins: plugins as never,
	});
	return ((await import(pathToFileURL(outfile).href)) as {default: unknown}).default;
}

beforeAll(async () => {
	directory = mkdtempSync(join(tmpdir(), 'gdrace-ink-output-'));
	Plain = (await bundle('plain', [])) as OutputClass;
	Memo = (await bundle('memo', [inkOutputMemo])) as typeof Memo;
	const original = Memo.prototype.__gdraceGet;
	Memo.prototype.__gdraceGet = function (this: unknown) {
		computed++;
		return original.call(this);
	};
});

afterAll(() => {
	rmSync(directory, {recursive: true, force: true});
});

function render(Output: OutputClass, width: number, height: number, operations: readonly Operation[]): {output: string; height: number} {
	const output = new Output({width, height});
	for (const operation of operations) {
		if (operation.kind === 'write') output.write(operation.x, operation.y, operation.text, {transformers: operation.transformers});
		else if (operation.kind === 'clip') output.clip(operation.clip);
		else output.unclip();
	}
	return output.get();
}

/** Ink's result and the bundle's, and whether the bundle computed it (or remembered it). */
function both(width: number, height: number, operations: readonly Operation[]): {plain: {output: string; height: number}; memo: {output: string; height: number}; fresh: boolean} {
	const before = computed;
	const memo = render(Memo, width, height, operations);
	return {plain: render(Plain, width, height, operations), memo, fresh: computed > before};
}

describe("the bundle's Ink Output (get() remembered)", () => {
	it('gives what Ink gives for random frames, the first time and when it remembers', () => {
		const random = generator(7);
		const pieces = ['racer', 'loss (log scale)', '1 ── GD', '±1%', 'λmax', '世界', 'x\ny\nz', '   ', 'a·b'];
		const frames = Array.from({length: 40}, () => {
			const width = 10 + Math.floor(random() * 50);
			const height = 1 + Math.floor(random() * 8);
			const operations: Operation[] = Array.from({length: 1 + Math.floor(random() * 5)}, () => ({
				kind: 'write' as const,
				x: Math.floor(random() * width),
				y: Math.floor(random() * (height + 1)),
				text: pieces[Math.floor(random() * pieces.length)]!,
				transformers: [[], [color(36)], [bold, color(33)]][Math.floor(random() * 3)]!,
			}));
			return {width, height, operations};
		});
		for (const {width, height, operations} of frames) {
			const first = both(width, height, operations);
			expect(first.memo).toEqual(first.plain);
			const again = both(width, height, operations);
			expect(again.fresh).toBe(false);
			expect(again.memo).toEqual(again.plain);
		}
	});

	it('computes afresh when a line, a place, the size or what a transformer makes differ', () => {
		const base: Operation[] = [{kind: 'write', x: 0, y: 0, text: 'gdrace  boston.csv', transformers: [bold]}];
		expect(both(30, 3, base).memo).toEqual(both(30, 3, base).plain);
		const variants: [number, number, Operation[]][] = [
			[30, 3, [{kind: 'write', x: 0, y: 0, text: 'gdrace  boston.csv', transformers: [color(31)]}]],
			[30, 3, [{kind: 'write', x: 1, y: 0, text: 'gdrace  boston.csv', transformers: [bold]}]],
			[30, 3, [{kind: 'write', x: 0, y: 1, text: 'gdrace  boston.csv', transformers: [bold]}]],
			[30, 3, [{kind: 'write', x: 0, y: 0, text: 'gdrace  boston.csV', transformers: [bold]}]],
			[31, 3, base],
			[30, 4, base],
			[30, 3, [...base, {kind: 'write', x: 0, y: 2, text: 'q quit', transformers: []}]],
		];
		for (const [width, height, operations] of variants) {
			const result = both(width, height, operations);
			expect(result.fresh).toBe(true);
			expect(result.memo).toEqual(result.plain);
		}
		// A transformer whose output depends on the line's index is called with it.
		const numbered: Transformer = (line, index) => `${index}${line}`;
		const lines: Operation[] = [{kind: 'write', x: 0, y: 0, text: 'a\nb', transformers: [numbered]}];
		expect(both(10, 2, lines).memo.output).toBe('0a\n1b');
	});

	it('never remembers a frame with a clip', () => {
		const clipped: Operation[] = [{kind: 'clip', clip: {x1: 2, x2: 6, y1: 0, y2: 1}}, {kind: 'write', x: 0, y: 0, text: 'abcdefgh', transformers: [color(32)]}, {kind: 'unclip'}];
		for (let round = 0; round < 2; round++) {
			const result = both(10, 2, clipped);
			expect(result.fresh).toBe(true);
			expect(result.memo).toEqual(result.plain);
		}
	});

	it(`keeps the ${MEMO_ENTRIES} most recently used results`, () => {
		const frame = (n: number): Operation[] => [{kind: 'write', x: 0, y: 0, text: `frame ${n}`, transformers: []}];
		for (let n = 0; n <= MEMO_ENTRIES; n++) both(20, 1, frame(1000 + n));
		// The newest are remembered; the oldest was dropped to make room.
		expect(both(20, 1, frame(1000 + MEMO_ENTRIES)).fresh).toBe(false);
		expect(both(20, 1, frame(1000)).fresh).toBe(true);
	});

	it('refuses, at build time, an output.js of another shape (an Ink update)', () => {
		expect(() => memoizeOutputSource('export default class Output {\n}\n', 'output.js')).toThrow(/expected one `get\(\) \{` in output\.js, found 0/);
	});
});
