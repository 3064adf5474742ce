/**
 * dist/ is esbuild's bundle (src/build/build.mjs). The headless path must stay free of React, Ink
 * and the live screen in the bundle too: the modules it loads (dist/cli.cjs, a CommonJS script,
 * imports the command, dist/main.js, dynamically after turning Node's compile cache on; that
 * module's static imports, followed through the shared chunks) are read from esbuild's metafiles.
 */
import {execFileSync, spawnSync} from 'node:child_process';
import type {StdioOptions} from 'node:child_process';
import {closeSync, existsSync, mkdtempSync, openSync, readFileSync, readdirSync, rmSync, writeFileSync} from 'node:fs';
import module from 'node:module';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {fileURLToPath} from 'node:url';
import {describe, expect, it} from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const META = `${ROOT}dist/meta.json`;
const LAUNCHER_META = `${ROOT}dist/cli-meta.json`;

type Metafile = {
	outputs: Record<string, {imports: {path: string; kind: string; external?: boolean}[]; inputs: Record<string, unknown>}>;
};

/** The inputs of `entry` and of every output it imports statically. */
function staticClosure(meta: Metafile, entry: string): {outputs: Set<string>; inputs: Set<string>; dynamic: Set<string>} {
	const outputs = new Set<string>();
	const dynamic = new Set<string>();
	const visit = (output: string): void => {
		if (outputs.has(output)) return;
		outputs.add(output);
		for (const {path, kind, external} of meta.outputs[output]?.imports ?? []) {
			if (external === true) continue;
			if (kind === 'dynamic-import') dynamic.add(path);
			else visit(path);
		}
	};
	visit(entry);
	const inputs = new Set([...outputs].flatMap((output) => Object.keys(meta.outputs[output]?.inputs ?? {})));
	return {outputs, inputs, dynamic};
}

describe.skipIf(!existsSync(META))('the bundle in dist/', () => {
	const meta = JSON.parse(readFileSync(META, 'utf8')) as Metafile;

	/** The module dist/cli.cjs imports: the command (src/cli/main.ts). */
	function commandChunk(): string {
		const command = 'dist/main.js';
		expect(Object.keys(meta.outputs[command]?.inputs ?? {})).toContain('src/cli/main.ts');
		return command;
	}

	it('starts as a CommonJS script of src/cli.ts alone, which requires only built-ins and imports the command when it needs it', () => {
		const launcher = JSON.parse(readFileSync(LAUNCHER_META, 'utf8')) as Metafile;
		expect(Object.keys(launcher.outputs)).toEqual(['dist/cli.cjs']);
		const output = launcher.outputs['dist/cli.cjs']!;
		expect(Object.keys(output.inputs)).toEqual(['src/cli.ts']);
		const imports = output.imports.map(({path, kind, external}) => ({path, kind, external}));
		// node:module only where it is needed (on Node 20 it loads part of the ES module loader):
		// the source imports it dynamically for an ES module build, and this one requires it.
		expect(imports).toEqual([
			{path: 'node:module', kind: 'dynamic-import', external: true},
			{path: './main.js', kind: 'dynamic-import', external: true},
		]);
		const source = readFileSync(`${ROOT}dist/cli.cjs`, 'utf8');
		// CommonJS: no import statement (Node would need its ES module loader for one).
		expect(source).not.toMatch(/^import /m);
		expect(source).toMatch(/\btypeof require === "function" \? require : void 0/);
		commandChunk();
	});

	it('loads neither React, Ink, asciichart nor src/ui before the headless race runs', () => {
		const {inputs, dynamic} = staticClosure(meta, commandChunk());
		const offending = [...inputs].filter((input) => /node_modules\/(react|react-reconciler|ink|yoga-layout|asciichart|scheduler)\//.test(input) || input.startsWith('src/ui/'));
		expect(offending).toEqual([]);
		expect(inputs).toContain('src/cli/headless.ts');
		// The live screen is one dynamically imported chunk that carries Ink and React.
		const live = [...dynamic].map((chunk) => staticClosure(meta, chunk).inputs).find((chunkInputs) => chunkInputs.has('src/cli/live.ts'));
		expect(live).toBeDefined();
		expect([...live!].some((input) => input.includes('node_modules/ink/'))).toBe(true);
	});

	it('loads yargs only for a command line that quickParse leaves to it: its chunk is imported dynamically', () => {
		const {inputs, dynamic} = staticClosure(meta, commandChunk());
		expect([...inputs].filter((input) => /node_modules\/(yargs|yargs-parser|cliui|y18n)\//.test(input) || input === 'src/cli/args.ts')).toEqual([]);
		const args = [...dynamic].map((chunk) => staticClosure(meta, chunk).inputs).find((chunkInputs) => chunkInputs.has('src/cli/args.ts'));
		expect([...args!].some((input) => input.includes('node_modules/yargs/'))).toBe(true);
		// The live screen's chunks do not bring it in either.
		const live = [...dynamic].map((chunk) => staticClosure(meta, chunk).inputs).find((chunkInputs) => chunkInputs.has('src/cli/live.ts'));
		expect([...live!].filter((input) => input.includes('node_modules/yargs'))).toEqual([]);
	});

	// An ES module import of a built-in reads all its exports (fs's load Node's stream and promise
	// modules): 3–5 ms of every start. src/build/build.mjs makes them require() calls.
	it("takes Node's built-in modules with require(), not as ES modules (except node:module, which makes require)", () => {
		const imported = Object.values(meta.outputs).flatMap((output) =>
			output.imports.filter(({path, kind, external}) => external === true && kind === 'import-statement' && module.isBuiltin(path)).map(({path}) => path),
		);
		expect(new Set(imported)).toEqual(new Set(['node:module']));
	});

	it('says in one line, exit 70, when its code cannot be loaded (a broken install), not with a stack trace', () => {
		const dir = mkdtempSync(join(tmpdir(), 'gdrace-broken-'));
		try {
			// The entry alone, without the command it imports.
			writeFileSync(join(dir, 'cli.cjs'), readFileSync(`${ROOT}dist/cli.cjs`));
			writeFileSync(join(dir, 'package.json'), '{"type": "module"}');
			const run = spawnSync(process.execPath, [join(dir, 'cli.cjs'), '--json'], {cwd: dir, encoding: 'utf8'});
			expect(run.status).toBe(70);
			expect(run.stdout).toBe('');
			expect(run.stderr).toMatch(/^gdrace: internal error: cannot load gdrace's code \(.*main\.js.*\); reinstall it\n$/);
		} finally {
			rmSync(dir, {recursive: true, force: true});
		}
	});

	it('is what package.json runs: the bin, npm start and the tests use dist/cli.cjs', () => {
		const pkg = JSON.parse(readFileSync(`${ROOT}package.json`, 'utf8')) as {bin: Record<string, string>; scripts: Record<string, string>};
		expect(pkg.bin['gdrace']).toBe('dist/cli.cjs');
		expect(pkg.scripts['start']).toContain('node dist/cli.cjs');
		expect(pkg.scripts['build']).toContain('src/build/build.mjs');
		expect(readFileSync(`${ROOT}dist/cli.cjs`, 'utf8').startsWith('#!/usr/bin/env node\n')).toBe(true);
	});

	/**
	 * Runs dist/cli.cjs with a preloaded module that counts what start-up must not do, and returns
	 * the counts: Intl.Segmenter constructions (string-width's load cost, src/build/fast-string-width.mjs)
	 * and fetch calls (Yoga's loader fetching its own data: URL, which loads undici).
	 */
	function startupCounts(args: string[]): {segmenters: number; fetches: number} {
		const dir = mkdtempSync(join(tmpdir(), 'gdrace-bundle-'));
		try {
			const report = join(dir, 'counts.json');
			const hook = [
				`const counts = {segmenters: 0, fetches: 0};`,
				`const Segmenter = Intl.Segmenter;`,
				`Intl.Segmenter = class extends Segmenter { constructor(...a) { super(...a); counts.segmenters++; } };`,
				`const fetch = globalThis.fetch;`,
				`globalThis.fetch = (...a) => { counts.fetches++; return fetch(...a); };`,
				`process.on('exit', () => require('node:fs').writeFileSync(${JSON.stringify(report)}, JSON.stringify(counts)));`,
			].join('\n');
			const preload = join(dir, 'count.cjs');
			writeFileSync(preload, hook);
			const env = {...process.env};
			delete env['CI'];
			execFileSync(process.execPath, ['--require', preload, `${ROOT}dist/cli.cjs`, ...args], {cwd: dir, env, stdio: 'pipe'});
			return JSON.parse(readFileSync(report, 'utf8')) as {segmenters: number; fetches: number};
		} finally {
			rmSync(dir, {recursive: true, force: true});
		}
	}

	/**
	 * Runs `fn` with a function that runs dist/cli.cjs in a temporary directory (its cwd, and the code
	 * cache's home) and returns the run and the list of Node's modules it loaded.
	 */
	function withModuleList(fn: (gdrace: (args: string[], options?: {env?: Record<string, string>; stdio?: StdioOptions}) => {loaded: string[]; stdout: string; status: number | null}, dir: string) => void): void {
		const dir = mkdtempSync(join(tmpdir(), 'gdrace-modules-'));
		try {
			const report = join(dir, 'modules.txt');
			const preload = join(dir, 'modules.cjs');
			writeFileSync(preload, `process.on('exit', () => require('node:fs').writeFileSync(${JSON.stringify(report)}, process.moduleLoadList.join('\\n')));`);
			fn((args, {env = {}, stdio = 'pipe'} = {}) => {
				rmSync(report, {force: true});
				const run = spawnSync(process.execPath, ['--require', preload, `${ROOT}dist/cli.cjs`, ...args], {cwd: dir, env: {...process.env, XDG_CACHE_HOME: join(dir, 'cache'), ...env}, stdio, encoding: 'utf8'});
				return {loaded: readFileSync(report, 'utf8').split('\n'), stdout: run.stdout, status: run.status};
			}, dir);
		} finally {
			rmSync(dir, {recursive: true, force: true});
		}
	}

	// An ES module entry makes Node 20 set up its ES module loader (resolver, translators, module
	// jobs, fs/promises) before any of gdrace's code runs: about 5 ms of every start. dist/cli.cjs
	// is a CommonJS script, and the headless script it runs is one too.
	it("runs the headless race from its cache without setting up Node's ES module loader (more than an empty CommonJS script does)", () => {
		withModuleList((gdrace, dir) => {
			const esm = (loaded: string[]): string[] => loaded.filter((name) => name.startsWith('NativeModule internal/modules/esm/'));
			writeFileSync(join(dir, 'empty.cjs'), '');
			const preload = join(dir, 'modules.cjs');
			spawnSync(process.execPath, ['--require', preload, join(dir, 'empty.cjs')], {cwd: dir, stdio: 'pipe'});
			const empty = esm(readFileSync(join(dir, 'modules.txt'), 'utf8').split('\n'));
			expect(gdrace(['--json', '--epochs', '10']).status).toBe(0); // makes the cache
			const {loaded, status} = gdrace(['--json', '--epochs', '10']);
			expect(status).toBe(0);
			expect(loaded).toContain('NativeModule vm');
			// Beyond an empty script's: at most the loader's own module and what it requires
			// (node:module loads them), none of what loading an ES module takes.
			expect(esm(loaded).filter((name) => !empty.includes(name) && !/esm\/(loader|assert|utils)$/.test(name))).toEqual([]);
			// The full command is an ES module (dist/main.js): its loader is there when it runs.
			expect(esm(gdrace(['--json', '--epochs', '10'], {env: {GDRACE_NO_CACHE: '1'}}).loaded)).toContain('NativeModule internal/modules/esm/module_job');
		});
	});

	// yargs's shim took two functions from Node's assert, which loads its error class, colors and
	// call tracker: about 2 ms of every start (src/build/build.mjs, yargsWithoutAssert).
	it("runs the headless race without loading Node's assert module", () => {
		withModuleList((gdrace) => {
			const envs: Record<string, string>[] = [{}, {GDRACE_NO_CACHE: '1'}];
			for (const env of envs) {
				const {loaded, status} = gdrace(['--json', '--epochs', '10'], {env});
				expect(status).toBe(0);
				expect(loaded).toContain('NativeModule fs');
				// (Node's own start may load pieces of internal/assert: only the module itself counts.)
				expect(loaded.filter((name) => /^NativeModule (assert|internal\/assert\/assertion_error)$/.test(name))).toEqual([]);
			}
		});
	});

	// Node's tty module loads net and the streams, as making process.stdout or process.stderr for a
	// pipe does: 3–4 ms of a start on Node 20 (src/cli/descriptors.ts). `gdrace --json | jq` needs none.
	it.skipIf(process.platform === 'win32')('prints the JSON into a pipe or a file without loading tty, net or the streams', () => {
		withModuleList((gdrace, dir) => {
			const devNull = openSync('/dev/null', 'r');
			const file = openSync(join(dir, 'out.json'), 'w');
			try {
				const runs: [Record<string, string>, StdioOptions][] = [
					[{}, ['pipe', 'pipe', 'pipe']], // the headless script, compiling its cache
					[{}, [devNull, 'pipe', 'pipe']], // from its cache, stdin /dev/null
					[{GDRACE_NO_CACHE: '1'}, ['pipe', 'pipe', 'pipe']], // the full command
					[{}, [devNull, file, 'pipe']], // into a file
				];
				for (const [env, stdio] of runs) {
					const {loaded, status} = gdrace(['--json', '--epochs', '10'], {env, stdio});
					expect(status).toBe(0);
					expect(loaded).toContain('NativeModule fs');
					expect({env, loaded: loaded.filter((name) => /^NativeModule (tty|net|stream)$/.test(name))}).toEqual({env, loaded: []});
				}
				expect(JSON.parse(readFileSync(join(dir, 'out.json'), 'utf8'))).toMatchObject({settings: {epochs: 10}});
			} finally {
				closeSync(devNull);
				closeSync(file);
			}
			expect(JSON.parse(gdrace(['--json', '--epochs', '10']).stdout)).toMatchObject({settings: {epochs: 10}});
		});
	});

	// Ink's signal-exit took Node's assert for one check, and terminal-size took child_process (and
	// dgram) for a fallback that runs `tput`: about 1.5 ms of the first frame on Node 20
	// (src/build/build.mjs, inkWithoutStartupExtras).
	it('draws the screen without loading assert or child_process', () => {
		withModuleList((gdrace, dir) => {
			const {loaded, status} = gdrace(['--cast', 'race.cast', '--render', '--epochs', '10']);
			expect(status).toBe(0);
			expect(loaded).toContain('NativeModule tty');
			expect(loaded.filter((name) => /^NativeModule (assert|child_process|dgram)$/.test(name))).toEqual([]);
			expect(readFileSync(join(dir, 'race.cast'), 'utf8').split('\n').length).toBeGreaterThan(3);
		});
	});

	it('starts the headless race without loading string-width for real (no Intl.Segmenter)', () => {
		expect(startupCounts(['--json', '--epochs', '10'])).toEqual({segmenters: 0, fetches: 0});
	});

	// Node 22.1 and later: the full command's chunks (the live screen's, --render's) are compiled
	// once and then read from the cache that dist/cli.cjs turns on (in the temporary directory:
	// TMPDIR moves it here). Node 20 has no compile cache.
	it.skipIf(typeof (module as {enableCompileCache?: unknown}).enableCompileCache !== 'function')(
		"keeps the compiled code of the modules --render loads in Node's compile cache",
		() => {
			const dir = mkdtempSync(join(tmpdir(), 'gdrace-cache-'));
			try {
				const env: NodeJS.ProcessEnv = {...process.env, TMPDIR: dir};
				delete env['NODE_COMPILE_CACHE'];
				delete env['NODE_DISABLE_COMPILE_CACHE'];
				execFileSync(process.execPath, [`${ROOT}dist/cli.cjs`, '--cast', 'race.cast', '--render', '--epochs', '10'], {cwd: dir, env, stdio: 'pipe'});
				const cached = readdirSync(join(dir, 'node-compile-cache'), {recursive: true, withFileTypes: true}).filter((entry) => entry.isFile());
				// At least the command's chunk and the shared chunks it imports, then the renderer's.
				expect(cached.length).toBeGreaterThan(staticClosure(meta, commandChunk()).outputs.size);
			} finally {
				rmSync(dir, {recursive: true, force: true});
			}
		},
	);

	it('builds the headless script (dist/headless.cjs) without the live screen, --render or serve', () => {
		const script = JSON.parse(readFileSync(`${ROOT}dist/headless-meta.json`, 'utf8')) as Metafile;
		const inputs = Object.keys(script.outputs['dist/headless.cjs']?.inputs ?? {});
		expect(inputs).toContain('src/cli/headless.ts');
		expect(inputs).toContain('src/cli/main.ts');
		const offending = inputs.filter(
			(input) => /node_modules\/(react|react-reconciler|ink|yoga-layout|asciichart|scheduler|ssh2)\//.test(input) || input.startsWith('src/ui/') || /^src\/cli\/(live|render|serve)\.ts$/.test(input),
		);
		expect(offending).toEqual([]);
		const text = readFileSync(`${ROOT}dist/headless.cjs`, 'utf8');
		expect(text.startsWith('(function (exports, require, module, __filename, __dirname, __gdraceUrl) {')).toBe(true);
		expect(text).not.toMatch(/\bimport\(/);
		// No module of gdrace's own runs lazily (esbuild wraps what a dynamic import reaches): the
		// engine's constants in closures made a long race about a fifth slower (src/cli/args-loader.ts).
		expect(text.match(/=__esm\(\{"src\/[^"]*"/g) ?? []).toEqual([]);
		expect(inputs).toContain('src/cli/args.ts');
		// yargs is required from a file of its own on first use (src/build/build.mjs, yargsOnDemand).
		expect(inputs.filter((input) => /node_modules\/(yargs|yargs-parser|cliui|y18n|escalade|get-caller-file)\//.test(input))).toEqual([]);
		expect(text).toContain('require("./headless-yargs.cjs")');
		expect(readFileSync(`${ROOT}dist/headless-yargs.cjs`, 'utf8')).toMatch(/\bYargsFactory\b|yargs/);
	});

	it("draws with Ink's Output remembering its results (src/build/ink-output-memo.mjs)", () => {
		const outputs = Object.entries(meta.outputs).filter(([, output]) => Object.keys(output.inputs).some((input) => input.endsWith('node_modules/ink/build/output.js')));
		expect(outputs).toHaveLength(1);
		expect(readFileSync(`${ROOT}${outputs[0]![0]}`, 'utf8')).toContain('__gdraceOutputMemo.get(key)');
	});

	// yargs guesses a version from the package.json nearest its file, and in a bundle that search
	// starts at the current directory: each start listed it and its parents and read what it found.
	// A FIFO named package.json makes any read of it wait forever, so these runs finish only if
	// gdrace never opens it (src/build/build.mjs, yargsWithoutVersionGuess).
	it.skipIf(process.platform === 'win32')("never reads the current directory's package.json", () => {
		const dir = mkdtempSync(join(tmpdir(), 'gdrace-cwd-'));
		try {
			execFileSync('mkfifo', [join(dir, 'package.json')]);
			const env: NodeJS.ProcessEnv = {...process.env, XDG_CACHE_HOME: join(dir, 'cache')};
			delete env['CI'];
			delete env['GDRACE_NO_CACHE'];
			const runs: [string[], NodeJS.ProcessEnv][] = [
				[['--json', '--epochs', '10'], env], // the headless script, compiling its cache
				[['--json', '--epochs', '10'], env], // the headless script from its cache
				[['--plain', '--epochs', '10'], {...env, GDRACE_NO_CACHE: '1'}], // the full command
				[['--cast', 'race.cast', '--render', '--epochs', '10'], env], // the screen's chunks
				[['serve', '--help'], env],
			];
			for (const [args, runEnv] of runs) {
				const run = spawnSync(process.execPath, [`${ROOT}dist/cli.cjs`, ...args], {cwd: dir, env: runEnv, encoding: 'utf8', timeout: 60_000, killSignal: 'SIGKILL'});
				expect({args, signal: run.signal, status: run.status, stderr: run.stderr}).toEqual({args, signal: null, status: 0, stderr: ''});
			}
			const version = spawnSync(process.execPath, [`${ROOT}dist/cli.cjs`, '--version'], {cwd: dir, env, encoding: 'utf8', timeout: 60_000, killSignal: 'SIGKILL'});
			const pkg = JSON.parse(readFileSync(`${ROOT}package.json`, 'utf8')) as {version: string};
			expect(version.stdout).toBe(`${pkg.version}\n`);
		} finally {
			rmSync(dir, {recursive: true, force: true});
		}
	});

	it('draws the live screen without fetching Yoga through undici', () => {
		const counts = startupCounts(['--cast', 'race.cast', '--render', '--epochs', '10']);
		expect(counts.fetches).toBe(0);
	});
});
