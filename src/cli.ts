#!/usr/bin/env node
/**
 * The `gdrace` command: see `cli/main.ts` for the flow and `gdrace --help` for the flags.
 *
 * Built as dist/cli.cjs, a CommonJS script (src/build/build.mjs): Node 20 starts a CommonJS entry
 * about 5 ms sooner than an ES module one, whose loader it would otherwise set up before any code
 * runs here, and the headless fast path below needs no ES module at all. Everything else is ES
 * modules: the command itself (dist/main.js, src/cli/main.ts) is imported dynamically.
 */
/**
 * Set by src/build/build.mjs: a hash of dist/headless.cjs, so that a V8 code cache made for one
 * build is never offered to another (V8 itself checks only the source's length).
 */
declare const __GDRACE_SCRIPT_KEY__: string | undefined;

/** CommonJS's `require` in dist/cli.cjs (src/build/build.mjs defines it); undefined in an ES module. */
declare const __GDRACE_REQUIRE__: NodeJS.Require | undefined;
const commonJsRequire = typeof __GDRACE_REQUIRE__ === 'function' ? __GDRACE_REQUIRE__ : undefined;

/** Node's `module`, taken only when needed: on Node 20 loading it sets up part of the ES module loader. */
async function nodeModule(): Promise<ModuleApi> {
	return commonJsRequire !== undefined ? (commonJsRequire('node:module') as ModuleApi) : await import('node:module');
}

/** What gdrace takes of Node's `module` (enableCompileCache: Node 22.1 and later). */
type ModuleApi = {createRequire: (path: string) => NodeJS.Require; enableCompileCache?: () => unknown};

/** Where the headless script's code cache lives, or undefined when caching is off or impossible. */
function cacheFile(key: string): {dir: string; file: string} | undefined {
	const env = process.env;
	if (env['GDRACE_NO_CACHE'] === '1' || env['NODE_DISABLE_COMPILE_CACHE'] === '1') return undefined;
	const xdg = env['XDG_CACHE_HOME'];
	const home = env['HOME'];
	const base = xdg !== undefined && xdg.startsWith('/') ? xdg : home !== undefined && home.startsWith('/') ? `${home}/.cache` : undefined;
	if (base === undefined) return undefined;
	const dir = `${base}/gdrace`;
	return {dir, file: `${dir}/headless-${key}-${process.version}-${process.arch}.v8`};
}

/** `--help`, `-h`, `--version`: runs that print text and race nothing. */
const TEXT_FLAG = /^(?:--(?:help|version)(?:=|$)|-h$)/;

/** Whether the arguments look like a headless run (a guess: a wrong one only costs time). */
function looksHeadless(argv: readonly string[], stdoutIsTerminal: () => boolean): boolean {
	if (argv[0] === 'serve' || argv.includes('--render')) return false;
	return argv.some((arg) => /^--(?:json|plain|log)(?:=|$)/.test(arg) || TEXT_FLAG.test(arg)) || !stdoutIsTerminal();
}

/**
 * Whether stdout is a terminal that is not `dumb` (which gets the summary, as a pipe: see
 * src/cli/config.ts). Node's tty module loads net and the streams (3 ms on Node 20), so it is
 * asked only of a character device other than /dev/null, as src/cli/descriptors.ts does.
 */
function stdoutIsTerminal(fs: typeof import('node:fs'), require: NodeJS.Require): boolean {
	if (process.env['TERM'] === 'dumb') return false;
	let stats: import('node:fs').Stats;
	try {
		stats = fs.fstatSync(1);
	} catch {
		return false; // closed
	}
	if (!stats.isCharacterDevice()) return false;
	try {
		if (stats.rdev === fs.statSync('/dev/null').rdev) return false;
	} catch {
		// No /dev/null (Windows): isatty decides.
	}
	return (require('node:tty') as typeof import('node:tty')).isatty(1);
}

/**
 * The fast path of the headless modes: dist/headless.cjs, the command line and the headless race
 * as one script, compiled with a V8 code cache kept under $XDG_CACHE_HOME/gdrace (else
 * ~/.cache/gdrace; with GDRACE_NO_CACHE=1 or NODE_DISABLE_COMPILE_CACHE=1 the full command runs
 * instead), so that a start reads compiled code instead of compiling yargs and gdrace again. The
 * cache is made at exit, so it holds every function the run compiled (Node's own compile cache,
 * below, keeps less, and loading several ES modules costs more: `gdrace --json` took 119 ms that
 * way on Node 24 against 95 ms this way, bare node 35). Resolves to false when it did nothing (not
 * headless after all, no script, a script that fails to load): the full command then runs.
 */
async function runHeadlessScript(argv: readonly string[]): Promise<boolean> {
	const key = typeof __GDRACE_SCRIPT_KEY__ === 'string' ? __GDRACE_SCRIPT_KEY__ : undefined;
	if (key === undefined) return false;
	// Without a cache the script is no faster than the full command: that runs instead.
	const cache = cacheFile(key);
	if (cache === undefined) return false;
	// require(), not imports: an ES module import of a built-in reads all its exports (slow for fs).
	// The build's own (a CommonJS script's) where there is one, which the headless script, beside
	// this file, can share: Node's `module` (for createRequire) loads part of its ES module loader.
	const require = commonJsRequire ?? (await nodeModule()).createRequire(import.meta.url);
	const fs = require('node:fs') as typeof import('node:fs');
	if (!looksHeadless(argv, () => stdoutIsTerminal(fs, require))) return false;
	const vm = require('node:vm') as typeof import('node:vm');
	const url = require('node:url') as typeof import('node:url');
	const file = url.fileURLToPath(new URL('headless.cjs', import.meta.url));
	let runHeadlessOnly: (argv: readonly string[]) => Promise<boolean>;
	let script: import('node:vm').Script;
	let cached: Buffer | undefined;
	try {
		const source = fs.readFileSync(file, 'utf8');
		try {
			cached = fs.readFileSync(cache.file);
		} catch {
			// No cache yet (or unreadable): compiled from the source, and cached at exit.
		}
		script = new vm.Script(source, {filename: file, ...(cached === undefined ? {} : {cachedData: cached})});
		const wrapper = script.runInThisContext() as (exports: object, require: NodeJS.Require, module: object, filename: string, dirname: string, url: string) => void;
		const exported: {exports: {runHeadlessOnly?: typeof runHeadlessOnly}} = {exports: {}};
		wrapper(exported.exports, require, exported, file, file.slice(0, file.lastIndexOf("/")), url.pathToFileURL(file).href);
		if (typeof exported.exports.runHeadlessOnly !== 'function') return false;
		runHeadlessOnly = exported.exports.runHeadlessOnly;
	} catch {
		// No script (running from a tsc build) or one that does not load: the full command runs.
		return false;
	}
	if (cached === undefined || script.cachedDataRejected === true) {
		// At exit the cache holds every function the run compiled, not only the top level: so it
		// is made by a run that raced (exit 0), not by --help, --version or a refused flag.
		const raced = !argv.some((arg) => TEXT_FLAG.test(arg));
		process.once('exit', (code) => {
			if (raced && code === 0) writeCache(fs, cache, key, script);
		});
	}
	return runHeadlessOnly(argv);
}

/** Writes the script's code cache atomically (mode 600) and removes other builds' caches; any failure leaves no file. */
function writeCache(fs: typeof import('node:fs'), cache: {dir: string; file: string}, key: string, script: import('node:vm').Script): void {
	const temporary = `${cache.file}.${process.pid}.tmp`;
	try {
		fs.mkdirSync(cache.dir, {recursive: true, mode: 0o700});
		fs.writeFileSync(temporary, script.createCachedData(), {mode: 0o600});
		fs.renameSync(temporary, cache.file);
		// Other builds' caches go (each Node version's cache of this build stays).
		for (const name of fs.readdirSync(cache.dir)) {
			if (/^headless-[0-9a-f]+-.*\.v8$/.test(name) && !name.startsWith(`headless-${key}-`)) fs.rmSync(`${cache.dir}/${name}`, {force: true});
		}
	} catch {
		try {
			fs.rmSync(temporary, {force: true});
		} catch {
			// Nothing to clean up.
		}
	}
}

/** The full command (src/cli/main.ts; dist/main.js in the build): a broken install gets one line, not Node's stack trace. */
async function runCommand(argv: readonly string[]): Promise<void> {
	// Node 22.1 and later keep V8's compiled code for modules on disk (in the temporary directory;
	// NODE_DISABLE_COMPILE_CACHE=1 turns it off), for modules loaded after this call: so the
	// command is imported dynamically, after it. The live screen's start gains most. Node 20 has
	// no such cache.
	(await nodeModule()).enableCompileCache?.();
	let command: typeof import('./cli/main.js');
	try {
		command = await import('./cli/main.js');
	} catch (error) {
		// A chunk of dist/ missing or unreadable.
		const message = error instanceof Error ? error.message : String(error);
		process.stderr.write(`gdrace: internal error: cannot load gdrace's code (${message.replace(/\s+/g, ' ').trim()}); reinstall it\n`);
		process.exit(70);
	}
	command.run([...argv]);
}

const argv = process.argv.slice(2);
void runHeadlessScript(argv).then((done) => (done ? undefined : runCommand(argv)));
