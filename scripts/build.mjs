#!/usr/bin/env node
/**
 * Builds dist/ with esbuild (tsc only type-checks: `npm run typecheck`, and `npm run build` runs
 * `tsc --noEmit` first). Start-up time is the reason (issue 9, "Fast start"): Node spends most of
 * gdrace's start loading a few hundred small modules (Ink, React, yargs and their dependencies);
 * the same code in a few files loads several times faster.
 *
 * Entry points (each a file of dist/; shared code goes to dist/chunks/):
 *   - dist/cli.js            the `gdrace` command (package.json "bin", `npm start`, the tests);
 *   - dist/engine/index.js   the engine, for benchmarks that import it in plain Node;
 *   - dist/data/dataset.js   the loader, likewise.
 * The live screen (src/cli/live.ts, src/cli/render.ts) is imported dynamically by src/cli/main.ts, so with code
 * splitting it lands in chunks that only the live path loads: the headless path (`--json`,
 * `--plain`) never loads React or Ink (test/cli/bundle.test.ts reads the metafile to prove it).
 *
 * Packages that stay outside the bundle: ssh2 (native optional parts, loaded only by
 * `gdrace serve`) and react-devtools-core (Ink imports it only when DEV=true).
 */
import {mkdirSync, readdirSync, rmSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {fileURLToPath} from 'node:url';
import {build} from 'esbuild';

const root = fileURLToPath(new URL('../', import.meta.url));
const dist = join(root, 'dist');

/** Removes what an earlier build left in dist/, except tsc's incremental state. */
function clean() {
	mkdirSync(dist, {recursive: true});
	for (const name of readdirSync(dist)) {
		if (name !== '.tsbuildinfo') rmSync(join(dist, name), {recursive: true, force: true});
	}
}

/**
 * yargs and cliui import string-width and wrap-ansi only to lay out `--help`, but those modules
 * build an Intl.Segmenter and several Unicode-property regular expressions when they load: about
 * 25 ms of every start, `--json` included. For those importers the plugin puts a stand-in that
 * loads the real module (through esbuild's lazy module wrapper) the first time it is called.
 * Ink imports the same modules directly and is left alone (it measures text on its first frame).
 */
const lazyTextLayout = {
	name: 'lazy-text-layout',
	setup(b) {
		b.onResolve({filter: /^(string-width|wrap-ansi)$/}, async (args) => {
			if (args.pluginData === 'real' || !/node_modules[\\/](yargs|cliui)[\\/]/.test(args.importer)) return undefined;
			// (b.resolve runs this callback again: pluginData marks that call.)
			const real = await b.resolve(args.path, {kind: args.kind, importer: args.importer, resolveDir: args.resolveDir, pluginData: 'real'});
			if (real.errors.length > 0) return {errors: real.errors};
			return {path: real.path, namespace: 'lazy-text-layout'};
		});
		b.onLoad({filter: /.*/, namespace: 'lazy-text-layout'}, (args) => ({
			contents: `let real;\nexport default function lazy(...args) {\n\treal ??= require(${JSON.stringify(args.path)}).default;\n\treturn real(...args);\n}\n`,
			resolveDir: root,
			loader: 'js',
		}));
	},
};

clean();
const result = await build({
	absWorkingDir: root,
	entryPoints: {cli: 'src/cli.ts', 'engine/index': 'src/engine/index.ts', 'data/dataset': 'src/data/dataset.ts'},
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
	plugins: [lazyTextLayout],
	// React's development build costs several times the CPU per frame: the bundle has the production one.
	define: {'process.env.NODE_ENV': '"production"'},
	// CommonJS packages inside an ES module bundle call require() for Node's built-ins.
	banner: {js: "import {createRequire as __gdraceRequire} from 'node:module';\nconst require = __gdraceRequire(import.meta.url);"},
});
writeFileSync(join(dist, 'meta.json'), JSON.stringify(result.metafile));
