/**
 * esbuild's `__toESM` makes an ES module namespace of a CommonJS module (React, and Node's
 * built-ins, which build.mjs turns into CommonJS modules) by copying every property of its exports
 * into a new object, with a getter each, at every import site: the live screen's chunks call it
 * about 90 times (38 times for React, 14 for `process`, whose object has over a hundred
 * properties), 5–6 ms of the first frame on Node 20. A module's namespace is the same at every
 * site: `toEsmOnce` makes each once (per `isNodeMode` flag, which sets `default`) and hands the
 * same object to every site after the first. Nothing writes to these objects (their properties
 * are getters only), so sharing one is not observable.
 *
 * Applied to the text of esbuild's runtime chunk after the build, at the start of the line after
 * the helper, so that no line of the chunk moves (its source map stays right); the build fails if
 * the helper is not found exactly once, or does not end as expected.
 */

/** The start of esbuild's helper, as its unminified ES module output writes it. */
export const TO_ESM = 'var __toESM = (mod, isNodeMode, target) => (';
/** Its end: the memo goes at the start of the line after it. */
const END = '\n));\n';

/** The memo: the helper renamed, then a `__toESM` that calls it once per module and flag. */
const MEMO =
	'var __toESMCache = [new WeakMap(), new WeakMap()]; ' +
	'__toESM = ((fresh) => (mod, isNodeMode) => { ' +
	'if (mod == null || (typeof mod !== "object" && typeof mod !== "function")) return fresh(mod, isNodeMode); ' +
	'const cache = __toESMCache[isNodeMode ? 1 : 0]; let namespace = cache.get(mod); ' +
	'if (namespace === undefined) cache.set(mod, (namespace = fresh(mod, isNodeMode))); return namespace; })(__toESM);';

/**
 * The chunk's text with the memo in place, or undefined for a text without the helper. Throws if
 * the helper appears more than once or does not end as expected (esbuild changed its runtime).
 */
export function toEsmOnce(text) {
	const at = text.indexOf(TO_ESM);
	if (at === -1) return undefined;
	if (text.indexOf(TO_ESM, at + 1) !== -1) throw new Error(`esbuild's __toESM helper appears twice in one chunk`);
	const end = text.indexOf(END, at);
	if (end === -1 || text.slice(at, end).includes(';\n')) throw new Error(`esbuild's __toESM helper does not end as expected: its runtime changed`);
	const line = end + END.length;
	return `${text.slice(0, line)}${MEMO} ${text.slice(line)}`;
}
