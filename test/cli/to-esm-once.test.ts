/**
 * The bundle makes each CommonJS module's ES module namespace once (src/build/to-esm-once.mjs):
 * esbuild's own runtime, patched, must give namespaces that read exactly as the fresh ones, the
 * same object at every import site of a module, and leave every line of the chunk in place.
 */
import {readFileSync, readdirSync} from 'node:fs';
import {join} from 'node:path';
import {build} from 'esbuild';
import {beforeAll, describe, expect, it} from 'vitest';
// @ts-expect-error: a plain .mjs build helper without type declarations
import {TO_ESM, toEsmOnce} from '../../src/build/to-esm-once.mjs';

type ToEsm = (mod: unknown, isNodeMode?: number) => Record<string, unknown>;

/** esbuild's runtime helpers as it writes them for an ES module bundle that imports CommonJS. */
let runtime: string;

/** `__toESM` from a runtime text (the helpers evaluated as a function body). */
function helperOf(text: string): ToEsm {
	const body = text.replace(/^export \{[^}]*\};?$/m, '').replace(/^\/\/# sourceMappingURL.*$/m, '');
	return new Function(`${body}\nreturn __toESM;`)() as ToEsm;
}

beforeAll(async () => {
	const result = await build({
		stdin: {contents: "import a from './a.cjs'; import * as b from './a.cjs'; export {a, b};", resolveDir: '/', loader: 'js'},
		bundle: true,
		format: 'esm',
		platform: 'node',
		write: false,
		logLevel: 'silent',
		plugins: [
			{
				name: 'memory',
				setup: (b) => {
					b.onResolve({filter: /a\.cjs$/}, () => ({path: 'a.cjs', namespace: 'memory'}));
					b.onLoad({filter: /.*/, namespace: 'memory'}, () => ({contents: 'module.exports = {x: 1};', loader: 'js'}));
				},
			},
		],
	});
	runtime = result.outputFiles[0]!.text;
});

describe('toEsmOnce', () => {
	it('finds the helper in esbuild\'s own output and keeps every line where it was', () => {
		expect(runtime).toContain(TO_ESM);
		const patched = toEsmOnce(runtime) as string;
		expect(patched).toContain('__toESMCache');
		expect(patched.split('\n').length).toBe(runtime.split('\n').length);
		// Every line but the one the memo went in front of is unchanged.
		const changed = patched.split('\n').filter((line, index) => line !== runtime.split('\n')[index]);
		expect(changed).toHaveLength(1);
		expect(toEsmOnce('const x = 1;\n')).toBeUndefined();
	});

	it('makes one namespace per module and flag, reading exactly as a fresh one', () => {
		const fresh = helperOf(runtime);
		const once = helperOf(toEsmOnce(runtime) as string);
		const modules: unknown[] = [
			{a: 1, b: 'two', nested: {c: 3}},
			Object.defineProperty({plain: true}, '__esModule', {value: true}),
			Object.assign(() => 'called', {extra: 4}),
			process,
			[1, 2, 3],
		];
		for (const mod of modules) {
			for (const flag of [undefined, 1]) {
				const first = once(mod, flag);
				expect(once(mod, flag)).toBe(first);
				const expected = fresh(mod, flag);
				expect(Object.getOwnPropertyNames(first)).toEqual(Object.getOwnPropertyNames(expected));
				for (const key of Object.getOwnPropertyNames(expected)) expect(first[key]).toBe(expected[key]);
				expect(Object.getPrototypeOf(first)).toBe(Object.getPrototypeOf(expected));
			}
			expect(once(mod, 1)).not.toBe(once(mod, undefined));
		}
		// Getters read the module as it is now, as esbuild's do.
		const live = {value: 1};
		const namespace = once(live, 1);
		live.value = 2;
		expect(namespace['value']).toBe(2);
		// Nothing to remember for null or a primitive.
		expect(once(null, 1)).toEqual(fresh(null, 1));
		expect(once(7, 1)['default']).toBe(7);
	});

	it('refuses a runtime it does not know: the helper twice, or not ending as expected', () => {
		expect(() => toEsmOnce(`${runtime}\n${runtime}`)).toThrow(/twice/);
		expect(() => toEsmOnce(`${TO_ESM}target;\nfoo();\n`)).toThrow(/does not end as expected/);
	});

	it('is in the built chunks: the helper of the one runtime chunk is patched', () => {
		const chunks = readdirSync('dist/chunks').filter((name) => name.endsWith('.js'));
		const withHelper = chunks.filter((name) => readFileSync(join('dist/chunks', name), 'utf8').includes(TO_ESM));
		expect(withHelper).toHaveLength(1);
		expect(readFileSync(join('dist/chunks', withHelper[0]!), 'utf8')).toContain('__toESMCache');
	});
});
