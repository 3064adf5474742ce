/**
 * Ink 6.8 turns every frame's text into a grid by hand (`Output.get` in ink/build/output.js): it
 * allocates an object per cell, tokenizes every styled line (with caches that live for one frame
 * only) and serializes the grid back to a string. gdrace draws what changes every frame (the plot,
 * the table, the header's clock line) as frame-writer layers, so the text Ink writes, the legend,
 * titles, axis labels and footer, is the same frame after frame; yet `Output.get` cost about 40 %
 * of `gdrace serve --shared`'s CPU at 16 viewers (a CPU profile: tokenize, styledCharsFromTokens,
 * styledCharsToString, diffAnsiCodes and the collector).
 *
 * Without clips, `Output.get` is a function of the output's size and, per write, its place and
 * its lines as the write's transformers turn them (a <Text>'s color and weight are transformers:
 * new closures every render, so they are called, not compared). So the bundle's copy remembers the
 * last few results by that key, shared by every session of the process (the SSH viewers of one
 * size share them). A frame with a clip (an `overflow="hidden"` box) is never remembered. The
 * transformers run twice on a miss: Ink's are pure styling (chalk), and gdrace has no <Transform>.
 */

/** Results kept (most recently used): a few sizes and views at once, as `serve` has. */
export const MEMO_ENTRIES = 16;

/** What the patched module gets before `class Output` (module scope). */
const MEMO_SOURCE = `
const __gdraceOutputMemo = new Map();
/** The key of an Output's result: its size and writes (each line as its transformers make it), or undefined with a clip. */
function __gdraceOutputKey(output) {
    let key = output.width + 'x' + output.height;
    for (const operation of output.operations) {
        if (operation.type !== 'write') return undefined;
        key += '\\u0000' + operation.x + ',' + operation.y;
        const lines = operation.text.split('\\n');
        for (let index = 0; index < lines.length; index++) {
            let line = lines[index];
            for (const transformer of operation.transformers) line = transformer(line, index);
            key += '\\u0001' + line.length + ':' + line;
        }
    }
    return key;
}
`;

/** What replaces the start of \`get() {\`: the remembering \`get\`, then the original renamed. */
const GET_SOURCE = `    get() {
        const key = __gdraceOutputKey(this);
        if (key === undefined) return this.__gdraceGet();
        const hit = __gdraceOutputMemo.get(key);
        if (hit !== undefined) {
            __gdraceOutputMemo.delete(key);
            __gdraceOutputMemo.set(key, hit);
            return {output: hit.output, height: hit.height};
        }
        const result = this.__gdraceGet();
        __gdraceOutputMemo.set(key, {output: result.output, height: result.height});
        if (__gdraceOutputMemo.size > ${MEMO_ENTRIES}) __gdraceOutputMemo.delete(__gdraceOutputMemo.keys().next().value);
        return result;
    }
    __gdraceGet() {`;

/** The patched source of ink/build/output.js; throws when the source is not the shape it expects (an Ink update). */
export function memoizeOutputSource(source, path = 'ink/build/output.js') {
	const classLine = 'export default class Output {';
	const getLine = '    get() {';
	for (const needle of [classLine, getLine]) {
		const found = source.split(needle).length - 1;
		if (found !== 1) throw new Error(`expected one \`${needle.trim()}\` in ${path}, found ${found}`);
	}
	for (const field of ['this.operations', 'this.width', 'this.height', 'line = transformer(line, index);', "type: 'write'"]) {
		if (!source.includes(field)) throw new Error(`expected \`${field}\` in ${path}`);
	}
	return source.replace(classLine, `${MEMO_SOURCE}${classLine}`).replace(getLine, GET_SOURCE);
}

/** The esbuild plugin: Ink's output.js with `Output.get` remembered. */
export const inkOutputMemo = {
	name: 'ink-output-memo',
	setup(b) {
		b.onLoad({filter: /[\\/]ink[\\/]build[\\/]output\.js$/}, async (args) => {
			const {readFile} = await import('node:fs/promises');
			try {
				return {contents: memoizeOutputSource(await readFile(args.path, 'utf8'), args.path), loader: 'js'};
			} catch (error) {
				return {errors: [{text: error instanceof Error ? error.message : String(error)}]};
			}
		});
	},
};
