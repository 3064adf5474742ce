#!/usr/bin/env node
/**
 * Builds dist/ with esbuild (tsc only type-checks: `npm run typecheck`, and `npm run build` runs
 * `tsc --noEmit` first). Start-up time is the reason (issue 9, "Fast start"): Node spends most of
 * gdrace's start loading a few hundred small modules (Ink, React, yargs and their dependencies);
 * the same code in a few files loads several times faster.
 *
 * Entry points (each a file of dist/; shared code goes to dist/chunks/):
 *   - dist/cli.cjs           the `gdrace` command (package.json "bin", `npm start`, the tests): a
 *                            small CommonJS script of its own build (src/cli.ts; Node 20 starts a
 *                            CommonJS entry about 5 ms sooner), which runs dist/headless.cjs or
 *                            imports dist/main.js;
 *   - dist/main.js           the command (src/cli/main.ts), an ES module;
 *   - dist/engine/index.js   the engine, for benchmarks that import it in plain Node;
 *   - dist/data/dataset.js   the loader, likewise;
 *   - dist/headless.cjs      the headless modes as one script (a separate build, below), which
 *                            dist/cli.cjs runs with a V8 code cache (src/cli.ts);
 *   - dist/headless-yargs.cjs  yargs for that script, required only when it needs yargs.
 * The live screen (src/cli/live.ts, src/cli/render.ts) is imported dynamically by src/cli/main.ts, so with code
 * splitting it lands in chunks that only the live path loads: the headless path (`--json`,
 * `--plain`) never loads React or Ink (test/cli/bundle.test.ts reads the metafile to prove it).
 *
 * Each CommonJS module (React, Node's built-ins) gets one ES module namespace, not one per import
 * site (src/build/to-esm-once.mjs).
 *
 * The bundle's copy of Ink's Output remembers its last results (src/build/ink-output-memo.mjs):
 * the text Ink writes is the same frame after frame, and turning it into a grid again was 40 % of
 * `gdrace serve`'s CPU.
 *
 * Packages that stay outside the bundle: ssh2 (native optional parts, loaded only by
 * `gdrace serve`) and react-devtools-core (Ink imports it only when DEV=true).
 */
import {mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync} from 'node:fs';
import {createHash} from 'node:crypto';
import {readFile} from 'node:fs/promises';
import {isBuiltin} from 'node:module';
import {dirname, join} from 'node:path';
import {fileURLToPath, pathToFileURL} from 'node:url';
import {build} from 'esbuild';
import {narrowRanges, shimSource} from './fast-string-width.mjs';
import {inkOutputMemo} from './ink-output-memo.mjs';
import {toEsmOnce} from './to-esm-once.mjs';

const root = fileURLToPath(new URL('../../', import.meta.url));
const dist = join(root, 'dist');

/** Removes what an earlier build left in dist/, except tsc's incremental state. */
function clean() {
	mkdirSync(dist, {recursive: true});
	for (const name of readdirSync(dist)) {
		if (name !== '.tsbuildinfo') rmSync(join(dist, name), {recursive: true, force: true});
	}
}

/**
 * Every `string-width` in the bundle (Ink's, yargs's, cliui's, wrap-ansi's) is the stand-in of
 * src/build/fast-string-width.mjs, with a table computed here from the copy it stands in for: the
 * real module costs tens of ms just to load (an Intl.Segmenter and Unicode-property regular
 * expressions), at every start, `--json` included, and it loads only if a string needs it.
 */
const fastStringWidth = {
	name: 'fast-string-width',
	setup(b) {
		const helpers = fileURLToPath(new URL('fast-string-width.mjs', import.meta.url));
		b.onResolve({filter: /^string-width$/}, async (args) => {
			if (args.pluginData === 'real') return undefined;
			// (b.resolve runs this callback again: pluginData marks that call.)
			const real = await b.resolve(args.path, {kind: args.kind, importer: args.importer, resolveDir: args.resolveDir, pluginData: 'real'});
			if (real.errors.length > 0) return {errors: real.errors};
			return {path: real.path, namespace: 'fast-string-width'};
		});
		b.onLoad({filter: /.*/, namespace: 'fast-string-width'}, async (args) => {
			const real = await import(pathToFileURL(args.path).href);
			return {contents: shimSource(args.path, narrowRanges(real.default), helpers), resolveDir: dirname(args.path), loader: 'js'};
		});
	},
};

/**
 * Yoga (Ink's layout engine) is WebAssembly embedded as a data: URL, and its loader fetches that
 * URL whenever a global `fetch` exists: Node's fetch then loads undici (about 30 ms of the first
 * frame) to decode a string the loader can decode itself. The loader's two `typeof fetch` tests
 * are made false, so it takes its own synchronous path; the build fails if they are not found.
 */
const yogaWithoutFetch = {
	name: 'yoga-without-fetch',
	setup(b) {
		b.onLoad({filter: /[\\/]yoga-layout[\\/]dist[\\/]binaries[\\/]yoga-wasm-base64-esm\.js$/}, async (args) => {
			const source = await readFile(args.path, 'utf8');
			const test = '"function"!=typeof fetch';
			const found = source.split(test).length - 1;
			if (found !== 2) return {errors: [{text: `expected 2 tests of ${test} in ${args.path}, found ${found}`}]};
			return {contents: source.replaceAll(test, 'true'), loader: 'js'};
		});
	},
};

/**
 * Node's built-in modules are taken with require(), not imported: an ES module import of a
 * built-in builds an ES module facade of it, which reads every export, and `fs`'s lazy exports
 * then load the stream and promise modules (ReadStream, fs.promises) that gdrace does not use:
 * 3–5 ms of every start. (`node:module` stays an import: it makes `require`.)
 */
const builtinsByRequire = {
	name: 'builtins-by-require',
	setup(b) {
		b.onResolve({filter: /^[a-z_/:]+$/}, (args) => {
			if (args.kind !== 'import-statement' || args.namespace === 'builtin') return undefined;
			const name = args.path.replace(/^node:/, '');
			if (!isBuiltin(name) || name === 'module') return undefined;
			return {path: name, namespace: 'builtin'};
		});
		b.onLoad({filter: /.*/, namespace: 'builtin'}, (args) => ({contents: `module.exports = require(${JSON.stringify(`node:${args.path}`)});`, loader: 'js'}));
	},
};

/**
 * yargs's factory registers a default `--version` whose number it guesses by reading the nearest
 * package.json above its own file, and inside a bundle (no node_modules in the path) it starts that
 * search at the current directory: every start then lists the current directory and each parent
 * until one holds a package.json, and parses that file. A start in a directory of 30,000 files took
 * 15–20 ms longer, and a FIFO named package.json hung it. gdrace declares `--version` itself
 * (src/cli/args.ts), so the factory's guess is turned off; the build fails if it is not found.
 */
const yargsWithoutVersionGuess = {
	name: 'yargs-without-version-guess',
	setup(b) {
		b.onLoad({filter: /[\\/]yargs[\\/]build[\\/]lib[\\/]yargs-factory\.js$/}, async (args) => {
			const source = await readFile(args.path, 'utf8');
			const call = 'yargs.version();';
			const found = source.split(call).length - 1;
			if (found !== 1) return {errors: [{text: `expected 1 call ${call} in ${args.path}, found ${found}`}]};
			return {contents: source.replace(call, 'yargs.version(false);'), loader: 'js'};
		});
	},
};

/**
 * yargs's platform shim takes `notStrictEqual` and `strictEqual` from Node's `assert`, for two
 * internal checks; loading `assert` (its error class, colors, call tracker) is about 2 ms of every
 * start. The shim gets these two functions, with the same tests, from a module of its own.
 */
const yargsWithoutAssert = {
	name: 'yargs-without-assert',
	setup(b) {
		b.onResolve({filter: /^(?:node:)?assert$/}, (args) => {
			if (!/[\\/]yargs[\\/]lib[\\/]platform-shims[\\/]esm\.mjs$/.test(args.importer)) return undefined;
			return {path: 'yargs-assert', namespace: 'yargs-without-assert'};
		});
		b.onLoad({filter: /.*/, namespace: 'yargs-without-assert'}, () => ({
			contents: [
				'function fail(message, fallback) {',
				'	throw message instanceof Error ? message : new Error(message === undefined ? fallback : String(message));',
				'}',
				'export function notStrictEqual(actual, expected, message) {',
				'	if (Object.is(actual, expected)) fail(message, `expected a value other than ${String(expected)}`);',
				'}',
				'export function strictEqual(actual, expected, message) {',
				'	if (!Object.is(actual, expected)) fail(message, `expected ${String(expected)}, got ${String(actual)}`);',
				'}',
			].join('\n'),
			loader: 'js',
		}));
	},
};

/**
 * Two modules the live screen loads for a rare case, loaded then: Ink's signal-exit takes Node's
 * `assert` for one check of its argument, and terminal-size (Ink's fallback when stdout has no
 * size) takes `child_process` (with dgram) to run `tput` when nothing else answers. Together about
 * 1.5 ms of the first frame on Node 20. signal-exit gets the same check from a module of its own;
 * terminal-size requires `child_process` when it runs a command. The build fails if either import
 * is not found.
 */
const inkWithoutStartupExtras = {
	name: 'ink-without-startup-extras',
	setup(b) {
		const seen = new Set();
		b.onResolve({filter: /^(?:node:)?assert$/}, (args) => {
			if (!/[\\/]signal-exit[\\/]index\.js$/.test(args.importer)) return undefined;
			seen.add('assert');
			return {path: 'signal-exit-assert', namespace: 'ink-without-startup-extras'};
		});
		b.onResolve({filter: /^(?:node:)?child_process$/}, (args) => {
			if (!/[\\/]terminal-size[\\/]index\.js$/.test(args.importer)) return undefined;
			seen.add('child_process');
			return {path: 'terminal-size-child-process', namespace: 'ink-without-startup-extras'};
		});
		b.onLoad({filter: /^signal-exit-assert$/, namespace: 'ink-without-startup-extras'}, () => ({
			contents: [
				'export function equal(actual, expected, message) {',
				'	if (actual != expected) throw new Error(message);',
				'}',
				'export default {equal};',
			].join('\n'),
			loader: 'js',
		}));
		b.onLoad({filter: /^terminal-size-child-process$/, namespace: 'ink-without-startup-extras'}, () => ({
			contents: "export function execFileSync(...args) {\n\treturn require('node:child_process').execFileSync(...args);\n}\n",
			loader: 'js',
		}));
		b.onEnd((result) => {
			if (result.errors.length > 0) return;
			for (const name of ['assert', 'child_process']) {
				if (!seen.has(name)) result.errors.push({text: `ink-without-startup-extras: the import of ${name} was not found (signal-exit or terminal-size changed)`});
			}
		});
	},
};

/**
 * In dist/headless.cjs the yargs parser is imported statically (src/cli/args-loader.ts): with a
 * dynamic import, esbuild wraps every module it shares with the rest in a lazily run closure, the
 * engine's too, and a long headless race ran about a fifth slower.
 */
const argsStatically = {
	name: 'args-statically',
	setup(b) {
		b.onResolve({filter: /^\.\/args-loader\.js$/}, (args) => {
			if (!/[\\/]src[\\/]cli[\\/]main\.ts$/.test(args.importer)) return undefined;
			return {path: join(dirname(args.importer), 'args.ts'), namespace: 'args-statically'};
		});
		b.onLoad({filter: /.*/, namespace: 'args-statically'}, (args) => ({
			contents: `import * as args from ${JSON.stringify(args.path)};\nexport function loadArgs() {\n\treturn Promise.resolve(args);\n}\n`,
			resolveDir: dirname(args.path),
			loader: 'js',
		}));
	},
};

/**
 * In dist/headless.cjs, yargs itself is a file of its own, dist/headless-yargs.cjs, required on the
 * first call of its factory: `--json` and the other plain command lines never call it (quickParse,
 * src/cli/flags.ts), and compiling and running yargs's 190 KB at every start was about 5 ms of
 * `gdrace --json` on Node 20. (A plain require of a file outside the bundle: unlike a dynamic
 * import, it leaves the modules of the bundle as they are, see argsStatically.)
 */
const yargsOnDemand = {
	name: 'yargs-on-demand',
	setup(b) {
		b.onResolve({filter: /^yargs$/}, (args) => {
			if (!/[\\/]src[\\/]cli[\\/]args\.ts$/.test(args.importer)) return {errors: [{text: `yargs imported by ${args.importer}: only src/cli/args.ts may import it in the headless script`}]};
			return {path: 'yargs', namespace: 'yargs-on-demand'};
		});
		b.onResolve({filter: /^\.\/headless-yargs\.cjs$/}, (args) => ({path: args.path, external: true}));
		b.onLoad({filter: /.*/, namespace: 'yargs-on-demand'}, () => ({
			contents: [
				'let factory;',
				'export default function yargs(...args) {',
				"	factory ??= require('./headless-yargs.cjs').default;",
				'	return factory(...args);',
				'}',
			].join('\n'),
			loader: 'js',
		}));
	},
};

/**
 * In dist/headless.cjs (the headless modes' fast start, run from a V8 code cache: src/cli.ts) the live
 * screen, `--render` and `serve` are left out: src/cli/main.ts hands those runs to the full command
 * before it would import them (`runHeadlessOnly`).
 */
const headlessOnly = {
	name: 'headless-only',
	setup(b) {
		b.onResolve({filter: /^\.\/(live|render|serve)\.js$/}, (args) => {
			if (!/[\\/]src[\\/]cli[\\/]main\.ts$/.test(args.importer)) return undefined;
			return {path: args.path, namespace: 'headless-only'};
		});
		b.onLoad({filter: /.*/, namespace: 'headless-only'}, (args) => ({
			contents: `throw new Error(${JSON.stringify(`${args.path} is not in the headless script`)});`,
			loader: 'js',
		}));
	},
};

clean();
// The headless script first: the command's entry embeds its hash (the key of its code cache).
const script = await build({
	absWorkingDir: root,
	entryPoints: ['src/cli/headless-script.ts'],
	outfile: 'dist/headless.cjs',
	bundle: true,
	format: 'cjs',
	platform: 'node',
	target: 'node20',
	legalComments: 'none',
	// Less to read and to deserialize at every start (about 3 ms of `gdrace --json`); names are
	// kept, so that GDRACE_DEBUG=1's stack traces stay readable.
	minifyWhitespace: true,
	minifySyntax: true,
	metafile: true,
	write: false,
	logLevel: 'warning',
	plugins: [headlessOnly, argsStatically, yargsOnDemand],
	define: {'process.env.NODE_ENV': '"production"', 'import.meta.url': '__gdraceUrl'},
	// One function expression: src/cli.ts compiles it with vm.Script (and a code cache) and calls it.
	banner: {js: '(function (exports, require, module, __filename, __dirname, __gdraceUrl) {'},
	footer: {js: '})'},
});
const scriptText = script.outputFiles[0].text;
writeFileSync(join(dist, 'headless.cjs'), scriptText);
// yargs for the headless script (yargsOnDemand above), as a CommonJS module of its own.
await build({
	absWorkingDir: root,
	stdin: {contents: "export {default} from 'yargs';", resolveDir: root, sourcefile: 'headless-yargs.js', loader: 'js'},
	outfile: 'dist/headless-yargs.cjs',
	bundle: true,
	format: 'cjs',
	platform: 'node',
	target: 'node20',
	legalComments: 'linked',
	minifyWhitespace: true,
	minifySyntax: true,
	logLevel: 'warning',
	plugins: [fastStringWidth, yargsWithoutVersionGuess, yargsWithoutAssert],
	define: {'import.meta.url': '__gdraceUrl'},
	banner: {js: "const __gdraceUrl = require('node:url').pathToFileURL(__filename).href;"},
});
const scriptKey = createHash('sha256').update(scriptText).digest('hex').slice(0, 16);

const result = await build({
	absWorkingDir: root,
	entryPoints: {main: 'src/cli/main.ts', 'engine/index': 'src/engine/index.ts', 'data/dataset': 'src/data/dataset.ts'},
	outdir: 'dist',
	chunkNames: 'chunks/[name]-[hash]',
	bundle: true,
	splitting: true,
	format: 'esm',
	platform: 'node',
	target: 'node20',
	sourcemap: 'linked',
	legalComments: 'linked',
	metafile: true,
	logLevel: 'warning',
	external: ['ssh2', 'react-devtools-core'],
	plugins: [fastStringWidth, yargsWithoutVersionGuess, yargsWithoutAssert, yogaWithoutFetch, inkOutputMemo, inkWithoutStartupExtras, builtinsByRequire],
	// React's development build costs several times the CPU per frame: the bundle has the production one.
	define: {'process.env.NODE_ENV': '"production"'},
	// CommonJS packages inside an ES module bundle call require() for Node's built-ins.
	banner: {js: "import {createRequire as __gdraceRequire} from 'node:module';\nconst require = __gdraceRequire(import.meta.url);"},
});
// Each CommonJS module's namespace made once, not at every import site (src/build/to-esm-once.mjs).
const patched = Object.keys(result.metafile.outputs).filter((file) => {
	if (!file.endsWith('.js')) return false;
	const text = toEsmOnce(readFileSync(join(root, file), 'utf8'));
	if (text !== undefined) writeFileSync(join(root, file), text);
	return text !== undefined;
});
if (patched.length !== 1) throw new Error(`expected esbuild's __toESM helper in one chunk, found it in ${patched.length}`);
writeFileSync(join(dist, 'meta.json'), JSON.stringify(result.metafile));

/**
 * The launcher's `import('./cli/main.js')` is the ES module build's dist/main.js, outside this
 * bundle: the launcher itself holds src/cli.ts alone (test/cli/bundle.test.ts).
 */
const commandOutside = {
	name: 'command-outside',
	setup(b) {
		b.onResolve({filter: /^\.\/cli\/main\.js$/}, () => ({path: './main.js', external: true}));
	},
};
const launcher = await build({
	absWorkingDir: root,
	entryPoints: ['src/cli.ts'],
	outfile: 'dist/cli.cjs',
	bundle: true,
	format: 'cjs',
	platform: 'node',
	target: 'node20',
	legalComments: 'none',
	metafile: true,
	logLevel: 'warning',
	plugins: [commandOutside],
	define: {__GDRACE_SCRIPT_KEY__: JSON.stringify(scriptKey), __GDRACE_REQUIRE__: 'require', 'import.meta.url': '__gdraceUrl'},
	banner: {js: "const __gdraceUrl = require('node:url').pathToFileURL(__filename).href;"},
});
const launcherInputs = Object.keys(launcher.metafile.inputs);
if (launcherInputs.join() !== 'src/cli.ts') throw new Error(`expected dist/cli.cjs to hold src/cli.ts alone, found ${launcherInputs.join(', ')}`);
writeFileSync(join(dist, 'cli-meta.json'), JSON.stringify(launcher.metafile));
writeFileSync(join(dist, 'headless-meta.json'), JSON.stringify(script.metafile));
