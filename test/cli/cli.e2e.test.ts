/**
 * The real `gdrace` (dist/cli.cjs, built by `npm test` before vitest runs) in a child process.
 * stdout is a pipe, so every run is headless. Expected numbers come from the study note (GD is
 * deterministic) or are worked out here from the CSV independently of the engine.
 */
import {spawn} from 'node:child_process';
import {existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {fileURLToPath} from 'node:url';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {bostonByHand} from '../engine/fixtures.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const CLI = join(ROOT, 'dist', 'cli.cjs');
const BOSTON = join(ROOT, 'data', 'boston.csv');
const LONG = 60_000;

type Result = {code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string};

/** Options of `gdrace`. */
type RunOptions = {
	/** Called on each stdout chunk with the process, e.g. to signal it once it has started. */
	onStdout?: (text: string, child: ReturnType<typeof spawn>) => void;
	/** Keep at most this many characters of stdout (a long log is consumed, not kept). */
	keep?: number;
};

/** Runs the built CLI with `args`; NO_COLOR set and CI unset so that output is what a user sees in a pipe. */
function gdrace(args: readonly string[], options: RunOptions = {}): Promise<Result> {
	const env: NodeJS.ProcessEnv = {...process.env, NO_COLOR: '1'};
	delete env.FORCE_COLOR;
	delete env.GDRACE_DEBUG;
	const child = spawn(process.execPath, [CLI, ...args], {cwd: scratch, env, stdio: ['ignore', 'pipe', 'pipe']});
	let stdout = '';
	let stderr = '';
	const keep = options.keep ?? Infinity;
	child.stdout.setEncoding('utf8');
	child.stderr.setEncoding('utf8');
	child.stdout.on('data', (text: string) => {
		if (stdout.length < keep) stdout += text.slice(0, keep - stdout.length);
		options.onStdout?.(text, child);
	});
	child.stderr.on('data', (text: string) => {
		stderr += text;
	});
	return new Promise((resolve, reject) => {
		child.on('error', reject);
		child.on('close', (code, signal) => resolve({code, signal, stdout, stderr}));
	});
}

let scratch = '';
beforeAll(() => {
	if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run npm run build first (npm test does)`);
	scratch = mkdtempSync(join(tmpdir(), 'gdrace-e2e-'));
});
afterAll(() => rmSync(scratch, {recursive: true, force: true}));

describe('--json', () => {
	it('reproduces the study note GD numbers at 5000 iterations', async () => {
		const result = await gdrace(['--json']);
		expect(result.stderr).toBe('');
		expect(result.code).toBe(0);
		const json = JSON.parse(result.stdout) as {
			data: Record<string, unknown>;
			settings: Record<string, unknown>;
			optimum: {weights: number[]; bias: number; loss: number};
			racers: {id: string; weights: number[]; bias: number; loss: number; iterations: number; status: string; finished: unknown}[];
		};
		expect(json.data).toEqual({source: BOSTON, rows: 506, features: ['RM', 'LSTAT'], target: 'MEDV', scale: 'minmax'});
		expect(json.settings).toEqual({clock: 'iteration', epochs: 5000, seed: 2023, tolerance: 0.01});
		expect(json.racers.map((r) => r.id)).toEqual(['gd', 'sgd', 'mb-random', 'mb-epoch']);
		const gd = json.racers[0]!;
		expect(Math.abs((gd.weights[0] ?? 0) - 25.41862187)).toBeLessThan(1e-8);
		expect(Math.abs((gd.weights[1] ?? 0) - -23.60046384)).toBeLessThan(1e-8);
		expect(Math.abs(gd.bias - 16.38568321)).toBeLessThan(1e-8);
		expect(Math.abs(gd.loss / 30.529067414418 - 1)).toBeLessThan(1e-10);
		for (const racer of json.racers) {
			expect(racer.iterations).toBe(5000);
			expect(['done', 'finished', 'diverged']).toContain(racer.status);
			expect(racer.finished === null || typeof racer.finished === 'object').toBe(true);
			expect(racer.loss).toBeGreaterThanOrEqual(json.optimum.loss);
		}
	});

	it('stays valid JSON with exit code 0 when racers diverge', async () => {
		const result = await gdrace(['--json', '--lr', '50', '--epochs', '200']);
		expect(result.code).toBe(0);
		const json = JSON.parse(result.stdout) as {racers: {status: string; loss: number; diverged: unknown}[]};
		expect(json.racers.map((r) => r.status)).toContain('diverged');
		for (const racer of json.racers) expect(Number.isFinite(racer.loss)).toBe(true);
		expect(result.stdout).not.toMatch(/NaN|Infinity/);
	});

	it('is the same race for the same seed', async () => {
		const [a, b] = await Promise.all([gdrace(['--json', '--epochs', '300']), gdrace(['--json', '--epochs', '300'])]);
		const strip = (text: string) =>
			(JSON.parse(text) as {racers: {weights: number[]; loss: number}[]}).racers.map((r) => [r.weights, r.loss]);
		expect(strip(a.stdout)).toEqual(strip(b.stdout));
	});
});

describe('--plain', () => {
	it('prints the summary with the data, the optimum and every racer', async () => {
		const result = await gdrace(['--plain']);
		expect(result.code).toBe(0);
		expect(result.stderr).toBe('');
		const text = result.stdout;
		expect(text).toContain('506 rows, RM, LSTAT → MEDV, scale minmax');
		expect(text).toContain('clock iteration, epochs 5,000, seed 2023');
		for (const id of ['gd', 'sgd', 'mb-random', 'mb-epoch', 'optimum']) expect(text).toMatch(new RegExp(`\\b${id}\\b`));
		expect(text).toMatch(/^RM +25\.41862187 /m);
		expect(text).toMatch(/^LSTAT +-23\.60046384 /m);
		expect(text).toMatch(/^bias +16\.38568321 /m);
		expect(text).toMatch(/^loss +30\.52906741 /m);
		expect(text).toMatch(/^updates +5,000 +5,000 +5,000 +85,000$/m);
		expect(text).not.toContain('\u001B[');
	});
});

describe('--log seed', () => {
	it('prints the note format, GD first iterations worked out by hand', async () => {
		const result = await gdrace(['--log', 'seed', '--optimizers', 'gd', '--epochs', '3']);
		expect(result.code).toBe(0);
		const lines = result.stdout.split('\n');
		expect(lines.slice(0, 5)).toEqual([
			'############### initial weights ###############',
			'w1 [0.] w2 [0.] bias [1.]',
			'###############################################',
			'',
			'Epoch : 1 / 3',
		]);
		// One full-batch step from w = 0, b = 1: w_j = lr·(2/N)·Σ(y − 1)·x_j, b = 1 + lr·(2/N)·Σ(y − 1).
		const {x, y} = bostonByHand();
		const n = y.length;
		let w1 = 0;
		let w2 = 0;
		let b = 1;
		const expected: [number, number, number, number][] = [];
		for (let step = 0; step < 3; step++) {
			let g1 = 0;
			let g2 = 0;
			let g0 = 0;
			for (let i = 0; i < n; i++) {
				const row = x[i] as number[];
				const diff = (y[i] as number) - (w1 * (row[0] as number) + w2 * (row[1] as number) + b);
				g1 += diff * (row[0] as number);
				g2 += diff * (row[1] as number);
				g0 += diff;
			}
			w1 += 0.01 * (2 / n) * g1;
			w2 += 0.01 * (2 / n) * g2;
			b += 0.01 * (2 / n) * g0;
			let loss = 0;
			for (let i = 0; i < n; i++) {
				const row = x[i] as number[];
				loss += ((y[i] as number) - (w1 * (row[0] as number) + w2 * (row[1] as number) + b)) ** 2;
			}
			expected.push([w1, w2, b, loss / n]);
		}
		for (let step = 0; step < 3; step++) {
			expect(lines[4 + 2 * step]).toBe(`Epoch : ${step + 1} / 3`);
			const match = /^w1 \[(\S+)\] w2 \[(\S+)\] bias \[(\S+)\] loss (\S+)$/.exec(lines[5 + 2 * step] ?? '');
			expect(match).not.toBeNull();
			const [w1Text, w2Text, bText, lossText] = (match ?? []).slice(1);
			const [ew1, ew2, eb, eloss] = expected[step] as [number, number, number, number];
			// numpy prints 8 decimals; Python's repr prints the loss in full.
			expect(Math.abs(Number(w1Text) - ew1)).toBeLessThanOrEqual(5e-9);
			expect(Math.abs(Number(w2Text) - ew2)).toBeLessThanOrEqual(5e-9);
			expect(Math.abs(Number(bText) - eb)).toBeLessThanOrEqual(5e-9);
			expect(Math.abs(Number(lossText) / eloss - 1)).toBeLessThan(1e-12);
		}
		expect(lines.slice(10)).toEqual([
			'',
			'############### final weights ###############',
			lines[9]?.replace(/ loss \S+$/, ''),
			'#############################################',
			'',
		]);
	});

	it('ends GD at the note weights', async () => {
		const result = await gdrace(['--log', 'seed', '--optimizers', 'gd']);
		expect(result.stdout).toContain('Epoch : 5000 / 5000\nw1 [25.41862187] w2 [-23.60046384] bias [16.38568321] loss 30.52906741441');
	});
});

describe('--export', () => {
	it('writes the CSV history of every racer, ending where the summary ends', async () => {
		const path = join(scratch, 'history.csv');
		const result = await gdrace(['--json', '--export', path, '--epochs', '400']);
		expect(result.code).toBe(0);
		const json = JSON.parse(result.stdout) as {racers: {id: string; loss: number; samples: number; iterations: number}[]; export?: unknown};
		const lines = readFileSync(path, 'utf8').split('\n');
		// The JSON document says what was written: the data rows, header not counted.
		expect(json.export).toEqual({path, rows: lines.length - 2});
		expect(lines[0]).toBe('racer,iteration,samples,ms,loss,lr');
		expect(lines.at(-1)).toBe('');
		const rows = lines.slice(1, -1).map((line) => line.split(','));
		for (const row of rows) expect(row).toHaveLength(6);
		for (const racer of json.racers) {
			const own = rows.filter((row) => row[0] === racer.id);
			expect(own[0]?.slice(1, 3)).toEqual(['0', '0']);
			const last = own.at(-1) ?? [];
			expect(Number(last[1])).toBe(racer.iterations);
			expect(Number(last[2])).toBe(racer.samples);
			expect(Number(last[4])).toBe(racer.loss);
			expect(Number(last[5])).toBe(0.01);
			// Every update is kept at this length: GD has one point per iteration plus the start.
			if (racer.id === 'gd') expect(own).toHaveLength(401);
		}
		expect(readdirSync(scratch).filter((name) => name.endsWith('.tmp'))).toEqual([]);
	}, 30_000);

	it('writes NDJSON for .ndjson', async () => {
		const path = join(scratch, 'history.ndjson');
		const result = await gdrace(['--plain', '--export', path, '--epochs', '50', '--optimizers', 'sgd']);
		expect(result.code).toBe(0);
		const points = readFileSync(path, 'utf8').trimEnd().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
		expect(points).toHaveLength(51);
		// The summary's last line says so (issue 10, item 15).
		expect(result.stdout.trimEnd().split('\n').at(-1)).toBe(`wrote 51 rows to ${path}`);
		expect(points[50]).toMatchObject({racer: 'sgd', iteration: 50, samples: 50});
		expect(Object.keys(points[0] ?? {})).toEqual(['racer', 'iteration', 'samples', 'ms', 'loss', 'lr']);
	});

	it('refuses to overwrite a file before racing, and overwrites it with --force', async () => {
		const path = join(scratch, 'taken.csv');
		writeFileSync(path, 'mine\n');
		const refused = await gdrace(['--plain', '--export', path]);
		expect(refused.code).toBe(2);
		expect(refused.stdout).toBe('');
		expect(refused.stderr).toMatch(/^gdrace: --export .*taken\.csv.*exists.*--force.*\n$/);
		expect(readFileSync(path, 'utf8')).toBe('mine\n');
		const forced = await gdrace(['--plain', '--export', path, '--force', '--epochs', '10']);
		expect(forced.code).toBe(0);
		expect(readFileSync(path, 'utf8').split('\n')[0]).toBe('racer,iteration,samples,ms,loss,lr');
	});
});

describe('signals', () => {
	it.each([
		['SIGINT', 130],
		['SIGTERM', 143],
		['SIGHUP', 129],
	] as const)(
		'%s during a long run leaves a complete export and exits %i',
		async (signal, code) => {
			const path = join(scratch, `stopped-${signal}.csv`);
			let sent = false;
			const result = await gdrace(['--log', 'ndjson', '--optimizers', 'sgd,mb-random', '--epochs', '100000000', '--export', path], {
				keep: 10_000,
				// The first log line means the race is running: stop it there.
				onStdout: (_text, child) => {
					if (!sent) {
						sent = true;
						child.kill(signal);
					}
				},
			});
			expect(result.signal).toBeNull();
			expect(result.code).toBe(code);
			expect(result.stderr).toBe('');
			const text = readFileSync(path, 'utf8');
			expect(text.endsWith('\n')).toBe(true);
			const lines = text.trimEnd().split('\n');
			expect(lines[0]).toBe('racer,iteration,samples,ms,loss,lr');
			for (const line of lines.slice(1)) expect(line).toMatch(/^(sgd|mb-random),[\d.e+-]+,\d+,[\d.e+-]+,[\d.e+-]+,0\.01$/);
			expect(new Set(lines.slice(1).map((line) => line.split(',')[0]))).toEqual(new Set(['sgd', 'mb-random']));
			expect(readdirSync(scratch).filter((name) => name.endsWith('.tmp'))).toEqual([]);
		},
		LONG,
	);

});

describe('a closed stdout pipe', () => {
	it('ends quietly when the reader stops reading (| head -1)', async () => {
		const script = `"${process.execPath}" "${CLI}" --log ndjson --epochs 100000000 --optimizers sgd | head -1 >/dev/null; echo "gdrace exit $\{PIPESTATUS[0]}" >&2`;
		const child = spawn('bash', ['-c', script], {env: {...process.env, NO_COLOR: '1'}, stdio: ['ignore', 'pipe', 'pipe']});
		let stderr = '';
		child.stderr.setEncoding('utf8');
		child.stderr.on('data', (text: string) => {
			stderr += text;
		});
		await new Promise((resolve) => child.on('close', resolve));
		expect(stderr).toBe('gdrace exit 0\n');
	}, LONG);

	it('ends quietly when the summary meets a closed pipe', async () => {
		const script = `"${process.execPath}" "${CLI}" --plain --epochs 100 | head -c 1 >/dev/null; echo "gdrace exit $\{PIPESTATUS[0]}" >&2`;
		const child = spawn('bash', ['-c', script], {stdio: ['ignore', 'pipe', 'pipe']});
		let stderr = '';
		child.stderr.setEncoding('utf8');
		child.stderr.on('data', (text: string) => {
			stderr += text;
		});
		await new Promise((resolve) => child.on('close', resolve));
		expect(stderr).toBe('gdrace exit 0\n');
	}, LONG);
});

/** Runs a bash script (gdrace is `$GDRACE`); resolves to its stderr, where it may echo gdrace's exit code. */
function shell(script: string, input?: string): Promise<string> {
	const env: NodeJS.ProcessEnv = {...process.env, NO_COLOR: '1', GDRACE: `"${process.execPath}" "${CLI}"`};
	delete env.GDRACE_DEBUG;
	const child = spawn('bash', ['-c', script.replace(/\$GDRACE/g, `"${process.execPath}" "${CLI}"`)], {cwd: scratch, env, stdio: ['pipe', 'pipe', 'pipe']});
	let stderr = '';
	child.stderr.setEncoding('utf8');
	child.stderr.on('data', (text: string) => {
		stderr += text;
	});
	child.stdout.resume();
	child.stdin.end(input ?? '');
	return new Promise((resolve, reject) => {
		child.on('error', reject);
		child.on('close', () => resolve(stderr));
	});
}

describe('a stdout that cannot take the output: one line, exit 1 (a reader that stops early is not an error)', () => {
	const status = '; echo "exit $?" >&2';
	it.skipIf(!existsSync('/dev/full'))('--help, --version and the summary to a full disk (/dev/full)', async () => {
		for (const args of ['--help', '--version', '--plain --epochs 10', '--json --epochs 10']) {
			expect(await shell(`$GDRACE ${args} > /dev/full${status}`), args).toBe('gdrace: cannot write to stdout: ENOSPC: no space left on device, write\nexit 1\n');
		}
	}, LONG);

	it('--help, --version and a race with stdout closed (>&-): refused before racing', async () => {
		const closed = 'gdrace: cannot write to stdout: it is closed (>&-, or a read-write /dev/null stands in for it); redirect it to a file, or > /dev/null to discard the output\nexit 1\n';
		for (const args of ['--help', '--version', '--plain', '--epochs 1000000000000 --optimizers gd']) {
			expect(await shell(`$GDRACE ${args} >&-${status}`), args).toBe(closed);
		}
		// A usage error is still reported as one (exit 2).
		expect(await shell(`$GDRACE --bogus >&-${status}`)).toMatch(/^gdrace: unknown flag "--bogus"; [^\n]+\nexit 2\n$/);
		// A run that writes a file is what the script wants (Python's DEVNULL for stdout looks the same).
		expect(await shell(`$GDRACE --plain --epochs 10 --export closed.csv >&-${status}`)).toBe('exit 0\n');
		expect(readFileSync(join(scratch, 'closed.csv'), 'utf8').split('\n')[0]).toMatch(/^racer,/);
	}, LONG);

	it('> /dev/null and a reader that stops after one line are fine: exit 0, nothing on stderr', async () => {
		expect(await shell(`$GDRACE --plain --epochs 10 > /dev/null${status}`)).toBe('exit 0\n');
		expect(await shell(`$GDRACE --help | head -1 > /dev/null; echo "exit $\{PIPESTATUS[0]}" >&2`)).toBe('exit 0\n');
		expect(await shell(`$GDRACE --help | true; echo "exit $\{PIPESTATUS[0]}" >&2`)).toBe('exit 0\n');
		// A parent that discards every stream (Node's stdio 'ignore': read-write /dev/null for all three) means it.
		const ignored = spawn(process.execPath, [CLI, '--plain', '--epochs', '10'], {cwd: scratch, stdio: 'ignore'});
		expect(await new Promise((resolve) => ignored.on('close', resolve))).toBe(0);
	}, LONG);
});

describe('--data - reads the CSV from stdin', () => {
	it('races the same as the file (piped, or redirected from a file)', async () => {
		const fromFile = await gdrace(['--json', '--epochs', '50', '--data', BOSTON]);
		const expected = JSON.parse(fromFile.stdout) as {racers: {weights: number[]}[]; optimum: unknown};
		for (const script of [`cat "${BOSTON}" | $GDRACE --json --epochs 50 --data - > piped.json`, `$GDRACE --json --epochs 50 --data - < "${BOSTON}" > redirected.json`]) {
			expect(await shell(script)).toBe('');
		}
		for (const name of ['piped.json', 'redirected.json']) {
			const doc = JSON.parse(readFileSync(join(scratch, name), 'utf8')) as typeof expected & {data: {source: string}};
			expect(doc.data.source).toBe('stdin');
			expect(doc.optimum).toEqual(expected.optimum);
			expect(doc.racers.map((r) => r.weights)).toEqual(expected.racers.map((r) => r.weights));
		}
	}, LONG);

	it('names stdin in a data error, and a column with a comma is selected in quotes', async () => {
		expect(await shell('$GDRACE --plain --data - --features a,b --target y; echo "exit $?" >&2', 'a,b,y\n1,x,3\n')).toBe(
			'gdrace: stdin:2:2: column b: "x" is not a number; every cell of a selected column must be a plain decimal number like 6.5 or -1e-3\nexit 1\n',
		);
		const csv = '"x,y",b,t\n1,2,4\n2,1,5\n3,3,7\n4,1,2\n';
		expect(await shell(`$GDRACE --json --epochs 5 --data - --features '"x,y",b' --target t > comma.json`, csv)).toBe('');
		expect((JSON.parse(readFileSync(join(scratch, 'comma.json'), 'utf8')) as {data: {features: string[]}}).data.features).toEqual(['x,y', 'b']);
		expect(await shell('$GDRACE --plain --data - --features x,y,b --target t; echo "exit $?" >&2', csv)).toBe(
			'gdrace: stdin:1: no column named x (the feature); did you mean "x,y"? (a name with a comma goes in double quotes: --features \'"x,y"\') ' +
				'the columns are "x,y", b, t\nexit 1\n',
		);
	}, LONG);
});

describe('errors: one line on stderr, the right exit code, no stack trace', () => {
	it.each([
		[['--epochs', '0'], 2, '--epochs'],
		[['--lr', '-1'], 2, '--lr'],
		[['--bogus'], 2, 'unknown flag'],
		[['--optimizers', 'adamw'], 2, 'unknown optimizer'],
		[['--lr.foo', '1'], 2, 'no racer has id'],
		[['--json', '--log', 'seed'], 2, '--json and --log'],
		[['--export', 'out.txt'], 2, 'unknown file type'],
		[['--export', 'missing-dir/out.csv'], 2, 'does not exist'],
		[['--data', 'no-such-file.csv'], 1, 'no-such-file.csv'],
		[['--features', 'RM,NOPE'], 1, 'NOPE'],
	] as const)('%j → exit %i', async (args, code, word) => {
		const result = await gdrace(args);
		expect(result.code).toBe(code);
		expect(result.stdout).toBe('');
		expect(result.stderr).toMatch(/^gdrace: [^\n]+\n$/);
		expect(result.stderr).toContain(word);
		expect(result.stderr).not.toMatch(/\bat \S+:\d+:\d+/);
	});

	it('names the file, line and column of a bad cell (exit 1)', async () => {
		const path = join(scratch, 'bad.csv');
		writeFileSync(path, 'a,b,MEDV\n1,2,3\n4,x,6\n');
		const result = await gdrace(['--data', path, '--features', 'a,b']);
		expect(result.code).toBe(1);
		expect(result.stderr).toMatch(/^gdrace: .*bad\.csv:3:2: [^\n]+\n$/);
	});

	it('prints --help and --version to stdout with exit code 0', async () => {
		const help = await gdrace(['--help']);
		expect(help.code).toBe(0);
		expect(help.stdout).toMatch(/^Usage: gdrace/);
		expect(help.stderr).toBe('');
		const version = await gdrace(['--version']);
		expect(version.code).toBe(0);
		expect(version.stdout).toMatch(/^\d+\.\d+\.\d+\n$/);
	});
});

describe('a perfect fit (issue 10: gaps of 26174% for finished racers)', () => {
	it('--json and --plain measure gaps against the finish line’s floor: a finished racer is within the tolerance', async () => {
		const file = join(scratch, 'perfect.csv');
		const rows = Array.from({length: 40}, (_, i) => `${i},${(i * 7) % 11},${3 * i - 2 * ((i * 7) % 11) + 5}`);
		writeFileSync(file, `a,b,y\n${rows.join('\n')}\n`);
		const json = await gdrace(['--data', file, '--features', 'a,b', '--target', 'y', '--json', '--epochs', '20000']);
		expect(json.code).toBe(0);
		const result = JSON.parse(json.stdout) as {optimum: {loss: number}; racers: {id: string; gap: number; relativeGap: number; status: string; finished: unknown}[]};
		expect(result.optimum.loss).toBeLessThan(1e-20);
		const gd = result.racers.find((racer) => racer.id === 'gd')!;
		expect(gd.status).toBe('finished');
		expect(gd.relativeGap).toBeLessThanOrEqual(0.01);
		for (const racer of result.racers) {
			if (racer.finished !== null) expect(racer.relativeGap, racer.id).toBeLessThan(1);
		}
		const plain = await gdrace(['--data', file, '--features', 'a,b', '--target', 'y', '--plain', '--epochs', '20000']);
		const gaps = plain.stdout.split('\n').find((line) => line.startsWith('gap %'))!;
		expect(gaps).not.toMatch(/e[+-]\d/);
		expect(gaps.split(/\s{2,}/)[1]).toMatch(/^(<0\.001|0\.\d{3})%$/);
	});
});
