/**
 * The headless modes' fast start (src/cli.ts): dist/headless.cjs run from a V8 code cache kept
 * under $XDG_CACHE_HOME/gdrace. What the user sees must not depend on it: the same output with or
 * without a cache, with a damaged one, with none allowed, or with nowhere to write one.
 */
import {spawnSync} from 'node:child_process';
import {chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {fileURLToPath} from 'node:url';
import {afterEach, beforeEach, describe, expect, it} from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const CLI = `${ROOT}dist/cli.cjs`;
const ARGS = ['--json', '--epochs', '200', '--optimizers', 'gd,sgd,mb-epoch,adam:lr=0.1'];

let home: string;
beforeEach(() => {
	home = mkdtempSync(join(tmpdir(), 'gdrace-script-'));
});
afterEach(() => {
	rmSync(home, {recursive: true, force: true});
});

/**
 * Runs dist/cli.cjs with a preloaded module that counts the scripts compiled from headless.cjs
 * (`fast`: the fast path ran) into a file read back after the run.
 */
function gdrace(args: readonly string[], env: Record<string, string | undefined> = {}) {
	const merged: NodeJS.ProcessEnv = {...process.env, XDG_CACHE_HOME: join(home, 'cache'), ...env};
	for (const [name, value] of Object.entries(env)) if (value === undefined) delete merged[name];
	const report = join(home, `fast-${Math.random().toString(36).slice(2)}.json`);
	const preload = join(home, 'count.cjs');
	writeFileSync(
		preload,
		[
			`const vm = require('node:vm');`,
			`const Script = vm.Script;`,
			`let fast = 0;`,
			`vm.Script = class extends Script { constructor(source, options) { super(source, options); if (String(options?.filename).endsWith('headless.cjs')) fast++; } };`,
			`const yargs = () => Object.keys(require.cache).some((file) => file.endsWith('headless-yargs.cjs'));`,
			`let exited = false;`,
			`const exit = process.exit;`,
			`process.exit = function (...args) { exited = true; return exit.apply(this, args); };`,
			`process.on('exit', () => require('node:fs').writeFileSync(${JSON.stringify(report)}, JSON.stringify({fast, yargs: yargs(), exited})));`,
		].join('\n'),
	);
	const run = spawnSync(process.execPath, ['--require', preload, CLI, ...args], {cwd: home, env: merged, encoding: 'utf8'});
	const counted = existsSync(report) ? (JSON.parse(readFileSync(report, 'utf8')) as {fast: number; yargs: boolean; exited: boolean}) : {fast: 0, yargs: false, exited: false};
	rmSync(report, {force: true});
	return {...run, fast: counted.fast === 1, yargs: counted.yargs, exited: counted.exited};
}

/** The summary without the CPU times, which differ from run to run. */
function summary(stdout: string): unknown {
	return JSON.parse(stdout, (key, value: unknown) => (key === 'ms' ? undefined : value));
}

function cacheFiles(dir = join(home, 'cache', 'gdrace')): string[] {
	return existsSync(dir) ? readdirSync(dir).sort() : [];
}

describe.skipIf(!existsSync(`${ROOT}dist/headless.cjs`))('the headless fast start', () => {
	it('keeps a code cache per build and Node version (dir 700, file 600), made once by a race and then read', () => {
		// Runs that do not race would leave a cache without the race's code: they make none.
		for (const args of [['--help'], ['--version'], ['--json', '--epochs', 'x'], ['--json', '--data', 'missing.csv']]) {
			expect(gdrace(args).fast).toBe(true);
			expect(cacheFiles()).toEqual([]);
		}
		const first = gdrace(ARGS);
		expect(first.status).toBe(0);
		expect(first.stderr).toBe('');
		expect(first.fast).toBe(true);
		const files = cacheFiles();
		expect(files).toHaveLength(1);
		expect(files[0]).toMatch(new RegExp(`^headless-[0-9a-f]{16}-${process.version}-${process.arch}\\.v8$`));
		const file = join(home, 'cache', 'gdrace', files[0]!);
		expect(statSync(file).mode & 0o777).toBe(0o600);
		expect(statSync(join(home, 'cache', 'gdrace')).mode & 0o777).toBe(0o700);
		const made = statSync(file);
		const second = gdrace(ARGS);
		expect(second.status).toBe(0);
		expect(second.fast).toBe(true);
		expect(summary(second.stdout)).toEqual(summary(first.stdout));
		// Accepted, so not written again.
		expect(statSync(file).mtimeMs).toBe(made.mtimeMs);
		expect(statSync(file).ino).toBe(made.ino);
	});

	it('gives the same summary as the full command, which GDRACE_NO_CACHE=1 and NODE_DISABLE_COMPILE_CACHE=1 choose', () => {
		const cached = gdrace(ARGS);
		expect(cached.fast).toBe(true);
		rmSync(join(home, 'cache'), {recursive: true, force: true});
		for (const off of [{GDRACE_NO_CACHE: '1'}, {NODE_DISABLE_COMPILE_CACHE: '1'}]) {
			const run = gdrace(ARGS, off);
			expect(run.status).toBe(0);
			expect(run.fast).toBe(false);
			expect(summary(run.stdout)).toEqual(summary(cached.stdout));
			expect(cacheFiles()).toEqual([]);
		}
	});

	it('replaces a damaged cache file and still runs right', () => {
		const clean = gdrace(ARGS);
		const [name] = cacheFiles();
		const file = join(home, 'cache', 'gdrace', name!);
		for (const damage of [Buffer.from('not a code cache'), readFileSync(file).subarray(0, 1000), Buffer.alloc(0)]) {
			writeFileSync(file, damage);
			const run = gdrace(ARGS);
			expect(run.status).toBe(0);
			expect(run.fast).toBe(true);
			expect(run.stderr).toBe('');
			expect(summary(run.stdout)).toEqual(summary(clean.stdout));
			expect(readFileSync(file).length).toBeGreaterThan(10_000);
		}
	});

	it('runs without a word when the cache cannot be written (a file in the way, no HOME, a read-only directory)', () => {
		writeFileSync(join(home, 'cache'), 'a file, not a directory');
		const blocked = gdrace(ARGS);
		expect(blocked.status).toBe(0);
		expect(blocked.stderr).toBe('');
		expect(blocked.fast).toBe(true);
		// Nowhere to keep a cache: the full command.
		const noHome = gdrace(ARGS, {XDG_CACHE_HOME: undefined, HOME: undefined});
		expect(noHome.fast).toBe(false);
		expect(noHome.status).toBe(0);
		expect(noHome.stderr).toBe('');
		expect(summary(noHome.stdout)).toEqual(summary(blocked.stdout));
		if (process.getuid?.() !== 0) {
			const readOnly = join(home, 'ro');
			mkdirSync(join(readOnly, 'gdrace'), {recursive: true});
			chmodSync(join(readOnly, 'gdrace'), 0o500);
			const run = gdrace(ARGS, {XDG_CACHE_HOME: readOnly});
			expect(run.status).toBe(0);
			expect(run.stderr).toBe('');
			expect(readdirSync(join(readOnly, 'gdrace'))).toEqual([]);
		}
	});

	it("removes other builds' caches, keeps this build's cache for other Node versions", () => {
		const dir = join(home, 'cache', 'gdrace');
		mkdirSync(dir, {recursive: true});
		writeFileSync(join(dir, 'headless-0123456789abcdef-v20.0.0-x64.v8'), 'old build');
		writeFileSync(join(dir, 'notes.txt'), 'not ours');
		expect(gdrace(ARGS).status).toBe(0);
		const [mine] = cacheFiles().filter((name) => name.endsWith(`-${process.version}-${process.arch}.v8`));
		const otherNode = mine!.replace(process.version, 'v99.0.0');
		writeFileSync(join(dir, otherNode), 'another Node');
		rmSync(join(dir, mine!));
		expect(gdrace(ARGS).status).toBe(0);
		expect(cacheFiles()).toEqual([mine!, 'notes.txt', otherNode].sort());
	});

	it('leaves --render and serve to the full command; bad flags and --help are its own', () => {
		const render = gdrace(['--cast', 'race.cast', '--render', '--epochs', '10']);
		expect(render.status).toBe(0);
		expect(render.fast).toBe(false);
		expect(existsSync(join(home, 'race.cast'))).toBe(true);
		const serve = gdrace(['serve', '--help']);
		expect(serve.status).toBe(0);
		expect(serve.fast).toBe(false);
		const bad = gdrace(['--json', '--epochs', 'x']);
		expect(bad.status).toBe(2);
		expect(bad.fast).toBe(true);
		expect(bad.stderr).toMatch(/^gdrace: --epochs .*\n$/);
		const help = gdrace(['--help']);
		expect(help.status).toBe(0);
		expect(help.fast).toBe(true);
		expect(help.stdout).toContain('Usage: gdrace');
	});

	// yargs is a file of its own (dist/headless-yargs.cjs), loaded only when the plain reading of
	// the command line gives up (src/build/build.mjs, yargsOnDemand): about 5 ms of every --json.
	it('loads yargs only for a command line that needs it, and then says what the full command says', () => {
		const plain = gdrace(ARGS);
		expect(plain.fast).toBe(true);
		expect(plain.yargs).toBe(false);
		for (const args of [['--help'], ['--json', '-h'], ['--json', '--epoch', '5'], ['--json', '--lr', '-1'], ['--json', '--epochs']]) {
			const fast = gdrace(args);
			const full = gdrace(args, {GDRACE_NO_CACHE: '1'});
			expect({args, fast: fast.fast, yargs: fast.yargs}).toEqual({args, fast: true, yargs: true});
			expect(full.fast).toBe(false);
			expect({args, status: fast.status, stdout: fast.stdout, stderr: fast.stderr}).toEqual({args, status: full.status, stdout: full.stdout, stderr: full.stderr});
		}
	});

	// Exiting with process.exit skips Node's teardown after a natural exit (2–5 ms of --json on
	// Node 20): only safe when nothing can still be queued in a stream.
	it('ends with process.exit a run that wrote only with writeSync, and lets a run with a stream end by itself, its output whole', () => {
		for (const args of [ARGS, ['--plain', '--epochs', '50'], ['--json', '--epochs', '50', '--export', 'history.csv']]) {
			const run = gdrace(args);
			expect({args, fast: run.fast, exited: run.exited, status: run.status, stderr: run.stderr}).toEqual({args, fast: true, exited: true, status: 0, stderr: ''});
		}
		expect(readFileSync(join(home, 'history.csv'), 'utf8').trimEnd().split('\n').length).toBeGreaterThan(50);
		// --log writes through process.stdout's stream, and an error line through stderr's.
		// One line per update: 17 a pass (506 rows in slices of 30), 100 passes (about 350 KB).
		const log = ['--log', 'ndjson', '--epochs', '100', '--optimizers', 'mb-epoch'];
		const fast = gdrace(log);
		const full = gdrace(log, {GDRACE_NO_CACHE: '1'});
		expect({fast: fast.fast, exited: fast.exited, status: fast.status}).toEqual({fast: true, exited: false, status: 0});
		const lines = fast.stdout.trimEnd().split('\n');
		expect(lines.length).toBe(1700);
		expect(full.stdout.trimEnd().split('\n').length).toBe(1700);
		expect(JSON.parse(lines.at(-1)!)).toMatchObject({racer: 'mb-epoch', iteration: 100, samples: 50600});
		const refused = gdrace(['--json', '--epochs', 'x']);
		expect({exited: refused.exited, status: refused.status}).toEqual({exited: false, status: 2});
		expect(refused.stderr).toMatch(/^gdrace: .*epochs/);
	});

	it('hands a run it guessed wrong to the full command before doing anything (--render=true in a pipe)', () => {
		const render = gdrace(['--cast', 'race.cast', '--render=true', '--epochs', '10']);
		// The script was compiled (the arguments looked headless), then the full command rendered.
		expect(render.fast).toBe(true);
		expect(render.status).toBe(0);
		expect(render.stderr).toBe('');
		expect(render.stdout).toMatch(/^recorded .* to race\.cast\n/m);
		expect(readFileSync(join(home, 'race.cast'), 'utf8').split('\n')[0]).toContain('"version":2');
	});
});
