/**
 * "Bad input gets one clear line and the right exit code": every bad file and bad flag of the
 * issue, run through the real CLI (dist/cli.cjs) as ONE table. Each error case must print exactly
 * one line on stderr that says what is wrong and how to fix it (file:line:col for a cell, the flag
 * and the allowed values for a flag), nothing on stdout, no stack trace, and exit 1 for data or 2
 * for usage. The valid inputs of the issue (quoted fields, CRLF + BOM, collinear features, fewer
 * rows than the batch size) are rows of the same table with exit code 0 and a check of the output.
 *
 * Then a few of the same cases in the live screen through a pseudo-terminal (the data and the
 * flags are checked before the screen starts, so no frame may ever be drawn), and a 200 MB file.
 */
import {spawn} from 'node:child_process';
import {chmodSync, closeSync, mkdirSync, openSync, readFileSync, rmSync, statSync, writeSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterAll, afterEach, beforeAll, describe, expect, it} from 'vitest';
import {disposeAll, spawnGdrace} from '../e2e/pty.js';
import type {JsonDoc, RunResult} from './helpers.js';
import {CLI, cleanEnv, expectNoNonFinite, expectOneLine, gdraceRun, parseJson, readOverrideDropped, scratchDir, sleep} from './helpers.js';

const scratch = scratchDir('bad-input');
afterAll(() => scratch.cleanup());
afterEach(disposeAll);

/** How a chmod 000 file is made unreadable for the CLI (as root: without the capabilities that read any file), or null when it cannot be. */
const unprivileged = readOverrideDropped();

/** The same small data set, written plainly: the reference the quoted and CRLF variants must equal. */
const PLAIN_ROWS = [
	[1, 2, 3],
	[4, 5, 6],
	[2, 7, 1],
	[3, 1, 9],
	[5, 3, 4],
];
const plain = `a,b,y\n${PLAIN_ROWS.map((row) => row.join(',')).join('\n')}\n`;

/** Fixture files, by name, written into the scratch directory (the CLI runs there, so messages name them as given). */
const FILES: Readonly<Record<string, string | Uint8Array>> = {
	'plain.csv': plain,
	'empty.csv': '',
	'header-only.csv': 'a,b,y\n',
	'blank-lines.csv': '\n\n  \n',
	'dup-columns.csv': 'a,a,y\n1,2,3\n4,5,6\n',
	'ragged-short.csv': 'a,b,y\n1,2,3\n4,5\n7,8,9\n',
	'ragged-long.csv': 'a,b,y\n1,2,3\n4,5,6,7\n',
	'non-numeric.csv': 'a,b,y\n1,2,3\n4,x,6\n',
	'empty-cell.csv': 'a,b,y\n1,2,3\n4,,6\n',
	'nan.csv': 'a,b,y\n1,2,3\n4,5,6\n7,NaN,9\n',
	'infinity.csv': 'a,b,y\n1,2,3\nInfinity,5,6\n',
	'minus-inf.csv': 'a,b,y\n1,2,3\n4,5,-inf\n',
	'overflow.csv': 'a,b,y\n1,2,3\n4,1e999,6\n',
	'thousands.csv': 'a,b,y\n1,2,3\n4,"1,000",6\n',
	'open-quote.csv': 'a,b,y\n1,2,3\n4,"5,6\n7,8,9\n',
	'after-quote.csv': 'a,b,y\n1,2,3\n4,"5"x,6\n',
	'constant.csv': 'a,b,y\n1,5,3\n2,5,6\n3,5,7\n',
	'one-row.csv': 'a,b,y\n1,2,3\n',
	// Valid: quoted numbers, and text columns with commas, doubled quotes and line breaks inside quotes.
	'quoted.csv':
		'"note","a",b,"y"\n' +
		'"Smith, John",1,"2",3\n' +
		'"two\nlines, and a comma","4",5,"6"\n' +
		'"say ""hi""",2,7,1\n' +
		'"",3,1,"9"\n' +
		'plain,5,"3",4\n',
	// Valid: a UTF-8 byte-order mark and CRLF line ends.
	'crlf-bom.csv': `\uFEFF${plain.replace(/\n/g, '\r\n')}`,
	// Valid: b = 2a exactly, so the optimal weights are not unique.
	'collinear.csv': 'a,b,y\n1,2,3\n2,4,5\n3,6,8\n4,8,8\n5,10,12\n',
	// Values whose squares overflow (valid under standard and min-max scaling) and a span past the double range.
	'huge.csv': `a,b,y\n${PLAIN_ROWS.map(([a, b, y]) => `${a! * 1e200},${b! * 1e200},${y}`).join('\n')}\n`,
	'too-wide.csv': 'a,b,y\n-1.7e308,1,3\n1.7e308,2,4\n0,3,2\n',
	// A quoted cell of 20 million characters (past the 16 Mi record limit) that does close.
	'long-cell.csv': `a,b,y\n1,"${'x'.repeat(20_000_000)}",3\n`,
	// A column named "x,y" (quoted in the header).
	'comma-name.csv': `"x,y",b,y\n${PLAIN_ROWS.map((row) => row.join(',')).join('\n')}\n`,
};

/** One row of the table. */
type Case = {
	readonly name: string;
	/** After `--plain` (every run is headless). */
	readonly args: readonly string[];
	readonly code: 0 | 1 | 2;
	/** What the single stderr line must match (after `gdrace: `), for an error. */
	readonly message?: RegExp;
	/** For a valid input: checks of the output. */
	readonly check?: (result: RunResult) => void;
	/** The file must be unreadable: chmod 000, and the CLI runs unable to read it even as root. */
	readonly unreadable?: string;
};

const data = (file: string, ...rest: string[]): string[] => ['--data', file, '--features', 'a,b', '--target', 'y', ...rest];

/** The --json result of the plain reference file, for the equivalence checks (run in beforeAll). */
let plainJson: JsonDoc | undefined;

/** The same race as the plain file: every number of the --json document equal (only the file name and timings differ). */
function expectSameRace(stdout: string): void {
	const comparable = (doc: JsonDoc) => ({
		...doc,
		data: {...doc.data, source: ''},
		racers: doc.racers.map((r) => ({...r, ms: 0, finished: r.finished && {...r.finished, ms: 0}})),
	});
	const doc = parseJson(stdout);
	expect(doc.data.rows).toBe(PLAIN_ROWS.length);
	expect(comparable(doc)).toEqual(comparable(plainJson as JsonDoc));
}

const ALL_IDS = 'gd, sgd, mb-random, mb-epoch';

const CASES: readonly Case[] = [
	// ── CSV files: exit 1, FILE[:LINE[:COL]]: what is wrong; how to fix it ──
	{name: 'missing file', args: data('missing.csv'), code: 1, message: /^missing\.csv: no such file; check the path/},
	{name: 'directory instead of a file', args: data('folder.csv'), code: 1, message: /^folder\.csv: is a directory, not a CSV file; give the path of a \.csv file$/},
	{
		name: 'unreadable file (chmod 000)',
		args: data('secret.csv'),
		code: 1,
		message: /^secret\.csv: permission denied; make the file readable \(chmod u\+r\)/,
		unreadable: 'secret.csv',
	},
	{name: 'empty file', args: data('empty.csv'), code: 1, message: /^empty\.csv: the file is empty; gdrace needs a header row naming the columns and at least one data row$/},
	{name: 'only blank lines', args: data('blank-lines.csv'), code: 1, message: /^blank-lines\.csv: the file holds only blank lines; gdrace needs a header row/},
	{name: 'header only', args: data('header-only.csv'), code: 1, message: /^header-only\.csv: the file has a header \(line 1\) but no data rows; add rows of numbers below it$/},
	{
		name: 'duplicate column names',
		args: data('dup-columns.csv'),
		code: 1,
		message: /^dup-columns\.csv:1:2: the header names 2 columns a \(columns 1 and 2\), so the feature is ambiguous; rename the duplicates/,
	},
	{
		name: 'ragged row, too few fields',
		args: data('ragged-short.csv'),
		code: 1,
		message: /^ragged-short\.csv:3: line 3 has 2 fields, the header has 3; give every row one field per column \(quote fields that contain commas\)$/,
	},
	{name: 'ragged row, too many fields', args: data('ragged-long.csv'), code: 1, message: /^ragged-long\.csv:3: line 3 has 4 fields, the header has 3; give every row/},
	{
		name: 'non-numeric cell',
		args: data('non-numeric.csv'),
		code: 1,
		message: /^non-numeric\.csv:3:2: column b: "x" is not a number; every cell of a selected column must be a plain decimal number like 6\.5/,
	},
	{name: 'empty cell', args: data('empty-cell.csv'), code: 1, message: /^empty-cell\.csv:3:2: column b: the cell is empty; fill in a number or remove the row$/},
	{name: 'NaN cell', args: data('nan.csv'), code: 1, message: /^nan\.csv:4:2: column b: "NaN" is not a number \(a missing value\?\); fill in a number or remove the row$/},
	{name: 'Infinity cell', args: data('infinity.csv'), code: 1, message: /^infinity\.csv:3:1: column a: "Infinity" is not a finite number; replace it or remove the row$/},
	{name: '-inf in the target', args: data('minus-inf.csv'), code: 1, message: /^minus-inf\.csv:3:3: column y: "-inf" is not a finite number; replace it/},
	{name: 'a number beyond double range', args: data('overflow.csv'), code: 1, message: /^overflow\.csv:3:2: column b: "1e999" is too large for a double .*; rescale the column$/},
	{name: 'thousands separator', args: data('thousands.csv'), code: 1, message: /^thousands\.csv:3:2: column b: "1,000" is not a number; write it without thousands separators/},
	{
		name: 'a quote never closed',
		args: data('open-quote.csv'),
		code: 1,
		message: /^open-quote\.csv:3:2: a quoted field starts here and is never closed; add the closing quote/,
	},
	{name: 'text after a closing quote', args: data('after-quote.csv'), code: 1, message: /^after-quote\.csv:3:2: unexpected "x" after the closing quote of a quoted field; /},
	{name: 'unknown column', args: ['--data', 'plain.csv', '--features', 'a,c', '--target', 'y'], code: 1, message: /^plain\.csv:1: no column named c \(the feature\); the columns are a, b, y$/},
	{
		name: 'constant feature under min-max scaling',
		args: data('constant.csv'),
		code: 1,
		message: /^constant\.csv: feature b is constant \(all 3 rows hold 5\), so it cannot be min-max scaled; drop it from --features or use --scale none$/,
	},
	{
		name: 'constant feature under standard scaling',
		args: data('constant.csv', '--scale', 'standard'),
		code: 1,
		message: /^constant\.csv: feature b is constant \(all 3 rows hold 5\), so it cannot be standardized; drop it from --features or use --scale none$/,
	},
	{name: 'a single row under min-max scaling', args: data('one-row.csv'), code: 1, message: /^one-row\.csv: feature a is constant \(the only row holds 1\), .*use --scale none$/},
	{
		name: 'a span past the double range under min-max: the suggestion is a scaling that works',
		args: data('too-wide.csv'),
		code: 1,
		message: /^too-wide\.csv: feature a spans -1\.7e\+308 to 1\.7e\+308, beyond what double precision can min-max scale; use --scale standard, or rescale the column in the file$/,
	},
	{
		name: 'a closed quoted cell past the record limit is too long, not open',
		args: data('long-cell.csv'),
		code: 1,
		message: /^long-cell\.csv:2:2: a quoted field starts here and holds more than 16,777,216 characters \(its closing quote is on the same line\); gdrace reads at most that many in one record/,
	},
	{
		name: 'a column named "x,y" not in quotes: how to quote it',
		args: ['--data', 'comma-name.csv', '--features', 'x,b', '--target', 'y'],
		code: 1,
		message: /^comma-name\.csv:1: no column named x \(the feature\); did you mean "x,y"\? \(a name with a comma goes in double quotes: --features '"x,y"'\) the columns are "x,y", b, y$/,
	},

	// ── Valid files: exit 0 ──
	{
		name: 'values of 1e200 … 1e201 under standard scaling (their squares overflow): the same race as the plain file',
		args: [...data('huge.csv', '--scale', 'standard'), '--json'],
		code: 0,
		check: ({stdout}) => {
			const doc = parseJson(stdout);
			expect(doc.racers.every((r) => r.status !== 'diverged')).toBe(true);
		},
	},
	{
		name: 'a column named "x,y" selected in quotes, as in CSV',
		args: ['--data', 'comma-name.csv', '--features', '"x,y",b', '--target', 'y', '--json'],
		code: 0,
		check: ({stdout}) => expect(parseJson(stdout).data.features).toEqual(['x,y', 'b']),
	},
	{
		name: 'quoted fields with commas, doubled quotes and line breaks (valid)',
		args: [...data('quoted.csv'), '--json'],
		code: 0,
		check: ({stdout}) => expectSameRace(stdout),
	},
	{name: 'CRLF line ends and a UTF-8 BOM (valid)', args: [...data('crlf-bom.csv'), '--json'], code: 0, check: ({stdout}) => expectSameRace(stdout)},
	{
		name: 'collinear features (valid, with the note on non-unique optimal weights)',
		args: [...data('collinear.csv'), '--epochs', '200'],
		code: 0,
		check: ({stdout}) => {
			expect(stdout).toContain('collinear.csv: 5 rows, a, b → y, scale minmax');
			expect(stdout).toMatch(/\nnote: optimal weights are not unique \(features are collinear or rows <= features\); showing the minimum-norm solution\n$/);
			// The minimum-norm solution of y ≈ w·(a, 2a) + b splits the weight evenly between the scaled columns.
			expect(stdout).toMatch(/^a +(?:-?\d+\.\d{8} +){4}4\.20000000$/m);
			expect(stdout).toMatch(/^b +(?:-?\d+\.\d{8} +){4}4\.20000000$/m);
			expect(stdout).toMatch(/^loss +(?:\d+\.\d{8} +){4}0\.54000000$/m);
		},
	},
	{
		name: 'collinear features in --json: unique false, rank 1',
		args: [...data('collinear.csv'), '--json', '--epochs', '200'],
		code: 0,
		check: ({stdout}) => {
			const doc = parseJson(stdout);
			expect(doc.optimum).toMatchObject({unique: false, rank: 1});
		},
	},
	{
		name: 'fewer rows than the batch size (valid: the batch is the whole data)',
		args: [...data('plain.csv'), '--json', '--batch-size', '100', '--epochs', '300'],
		code: 0,
		check: ({stdout}) => {
			const doc = parseJson(stdout);
			expect(doc.racers.map((r) => [r.id, r.batchSize])).toEqual([
				['gd', 5],
				['sgd', 1],
				['mb-random', 5],
				['mb-epoch', 5],
			]);
			const [gd, , , epoch] = doc.racers;
			// A pass in one batch of every row is exactly a full-batch gradient step.
			expect(epoch?.updates).toBe(300);
			expect(epoch?.weights).toEqual(gd?.weights);
			expect(epoch?.bias).toBe(gd?.bias);
		},
	},

	// ── Flags: exit 2, the flag, what was given and what is allowed ──
	{name: 'unknown flag', args: ['--bogus'], code: 2, message: /^unknown flag "--bogus"; see gdrace --help for the flags$/},
	{name: '--plain with --json', args: ['--plain', '--json'], code: 2, message: /^--plain prints the summary table and --json prints a JSON document instead; choose one/},
	{name: 'a switch given a value: --shuffle=maybe', args: ['--shuffle=maybe'], code: 2, message: /^--shuffle is a switch and takes no value, got "maybe"; write --shuffle to turn it on or --no-shuffle to turn it off$/},
	{name: 'a switch given a value: --color=xyz', args: ['--color=xyz'], code: 2, message: /^--color is a switch and takes no value, got "xyz"; /},
	{name: 'a switch given a value: --force=2', args: ['--force=2'], code: 2, message: /^--force is a switch and takes no value, got "2"; /},
	{name: 'a lone "-"', args: ['-'], code: 2, message: /^unexpected argument "-"; to read the CSV from stdin write --data - /},
	{name: 'misspelt flag', args: ['--epoch', '5'], code: 2, message: /^unknown flag "--epoch"; did you mean --epochs\? \(see gdrace --help\)$/},
	{name: 'a stray argument', args: ['data.csv'], code: 2, message: /^unexpected argument "data\.csv": gdrace takes only flags; to race on a file use --data data\.csv/},
	{
		name: 'unknown optimizer in --optimizers',
		args: ['--optimizers', 'gd,adamw'],
		code: 2,
		message: new RegExp(`^--optimizers "adamw": unknown optimizer "adamw"; use one of ${ALL_IDS}, momentum, nesterov, adagrad, rmsprop, adam \\(then :key=value settings, e\\.g\\. adam:lr=0\\.1\\)$`),
	},
	{
		name: 'a key the rule does not have',
		args: ['--optimizers', 'gd,adam:momentum=0.9'],
		code: 2,
		message: /^--optimizers "adam:momentum=0\.9": adam has no momentum; race momentum or nesterov for momentum \(adam takes lr, batch, size, shuffle, beta1, beta2, eps, id\)$/,
	},
	{name: 'a duplicate racer id', args: ['--optimizers', 'gd,sgd:id=gd'], code: 2, message: /^--optimizers "sgd:id=gd": id "gd" is already racer 1's; choose another, e\.g\. sgd:id=sgd-fast$/},
	{
		name: '--lr.<id> for a racer that does not race',
		args: ['--lr.adam', '0.1'],
		code: 2,
		message: new RegExp(`^--lr\\.adam: no racer has id "adam" \\(racing: ${ALL_IDS}\\); add it to --optimizers or drop --lr\\.adam$`),
	},
	{name: 'negative learning rate', args: ['--lr', '-1'], code: 2, message: /^--lr must be a number > 0, got "-1"; e\.g\. --lr 0\.01$/},
	{name: 'zero learning rate', args: ['--lr', '0'], code: 2, message: /^--lr must be a number > 0, got "0"; e\.g\. --lr 0\.01$/},
	{name: 'non-numeric learning rate', args: ['--lr', 'fast'], code: 2, message: /^--lr must be a number > 0, got "fast"; /},
	{name: 'zero learning rate of one racer', args: ['--lr.sgd', '0'], code: 2, message: /^--lr\.sgd must be a number > 0, got "0"; e\.g\. --lr\.sgd 0\.005$/},
	{name: 'batch size 0', args: ['--batch-size', '0'], code: 2, message: /^--batch-size must be a positive integer, got "0"; e\.g\. --batch-size 30$/},
	{name: 'non-integer epochs', args: ['--epochs', '1.5'], code: 2, message: /^--epochs must be a positive integer \(at most 1e12\), got "1\.5"; e\.g\. --epochs 5000$/},
	{name: 'negative epochs', args: ['--epochs', '-3'], code: 2, message: /^--epochs must be a positive integer \(at most 1e12\), got "-3"; /},
	{name: 'epochs without a value', args: ['--epochs'], code: 2, message: /^--epochs needs a value; give a positive integer/},
	{name: 'unknown clock', args: ['--clock', 'wall'], code: 2, message: /^unknown --clock "wall"; choose one of iteration, samples, time$/},
	{name: 'unknown scale', args: ['--scale', 'log'], code: 2, message: /^unknown --scale "log"; choose one of minmax, standard, none$/},
	...['0', '1', '-0.1'].map(
		(value): Case => ({
			name: `tolerance ${value} outside (0, 1)`,
			args: ['--tolerance', value],
			code: 2,
			message: new RegExp(`^--tolerance must be a fraction strictly between 0 and 1, got "${value.replace('.', '\\.')}"; e\\.g\\. --tolerance 0\\.01`),
		}),
	),
	{name: '--fps 0', args: ['--fps', '0'], code: 2, message: /^--fps must be an integer from 1 to 120, got "0"; e\.g\. --fps 30$/},
	{
		name: 'export path in a missing directory',
		args: ['--export', 'no-such-dir/h.csv'],
		code: 2,
		message: /^--export "no-such-dir\/h\.csv": the directory "no-such-dir" does not exist; create it first or choose another path$/,
	},
	{
		name: 'existing export file without --force',
		args: ['--export', 'plain.csv'],
		code: 2,
		message: /^--export "plain\.csv": the file exists; add --force to overwrite it, or choose another name$/,
	},
	{name: 'export with an unknown extension', args: ['--export', 'h.txt'], code: 2, message: /^--export "h\.txt": unknown file type; use a name ending in \.csv, \.ndjson or \.jsonl$/},
	// Root may write anywhere by the permission bits, but no file can be created in /proc: caught before the race.
	...(process.platform === 'linux'
		? [{name: 'export into /proc', args: ['--export', '/proc/x.csv'], code: 2, message: /^--export "\/proc\/x\.csv": cannot create a file in "\/proc": .*; choose another directory$/} as const]
		: []),
	{
		name: 'the target among the features',
		args: ['--data', 'plain.csv', '--features', 'a,y', '--target', 'y'],
		code: 2,
		message: /^"y" is both the target and a feature; remove it from --features or choose another --target$/,
	},
];

beforeAll(async () => {
	for (const [name, content] of Object.entries(FILES)) scratch.write(name, content);
	mkdirSync(scratch.path('folder.csv'));
	scratch.write('secret.csv', plain);
	chmodSync(scratch.path('secret.csv'), 0o000);
	const result = await gdraceRun(['--json', ...data('plain.csv')], {cwd: scratch.dir});
	expect(result.code).toBe(0);
	plainJson = parseJson(result.stdout);
});

/** ~200 MB: an id, a quoted label with a comma, two features and a target; returns the row count. */
function writeBigFile(path: string, bytes: number): number {
	let chunk = '';
	const block = 20_000;
	for (let i = 0; i < block; i++) {
		chunk += `${i},"item ${i}, lot ${i % 97}",${(i % 1000) / 8},${Math.sin(i).toFixed(6)},${((3 * (i % 1000)) / 8 + (i % 13) / 4).toFixed(3)}\n`;
	}
	const buffer = Buffer.from(chunk);
	const fd = openSync(path, 'w');
	let rows = 0;
	try {
		writeSync(fd, 'id,label,x1,x2,y\n');
		for (let written = 0; written < bytes; written += buffer.length) {
			writeSync(fd, buffer);
			rows += block;
		}
	} finally {
		closeSync(fd);
	}
	return rows;
}

/** Peak resident memory of a process in bytes, from /proc (VmHWM is the kernel's high-water mark). */
function peakRss(pid: number): number | undefined {
	try {
		const match = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
		return match ? Number(match[1]) * 1024 : undefined;
	} catch {
		return undefined;
	}
}

// The rows are independent processes: run them side by side.
describe.concurrent('headless: bad input gets one line and exit 1 (data) or 2 (usage); valid input exit 0', {timeout: 30_000}, () => {
	// First, so that it starts at once and the table runs beside it.
	it('a 200 MB file is streamed: exit 0, every row loaded, peak memory well under 1 GiB, no out-of-memory crash', async () => {
		const path = join(tmpdir(), `gdrace-big-${process.pid}.csv`);
		try {
			const rows = writeBigFile(path, 200e6);
			const size = statSync(path).size;
			expect(size).toBeGreaterThan(200e6);
			const child = spawn(process.execPath, [CLI, '--json', '--epochs', '1', '--optimizers', 'gd', '--data', path, '--features', 'x1,x2', '--target', 'y'], {
				env: cleanEnv(),
				stdio: ['ignore', 'pipe', 'pipe'],
			});
			let stdout = '';
			let stderr = '';
			child.stdout.setEncoding('utf8').on('data', (text: string) => (stdout += text));
			child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr += text));
			let peak = 0;
			const start = performance.now();
			const closed = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
			let running = true;
			void closed.then(() => (running = false));
			// VmHWM only grows: the last reading before the exit is the peak, to within one interval's growth.
			while (running) {
				peak = Math.max(peak, peakRss(child.pid ?? -1) ?? 0);
				await sleep(25);
			}
			const code = await closed;
			const seconds = (performance.now() - start) / 1000;
			console.log(`200 MB file: ${(size / 1e6).toFixed(0)} MB, ${rows} rows in ${seconds.toFixed(1)} s, peak RSS ${(peak / 2 ** 20).toFixed(0)} MiB`);
			expect(stderr).toBe('');
			expect(code).toBe(0);
			const doc = parseJson(stdout);
			expect(doc.data.rows).toBe(rows);
			expect(doc.racers[0]?.iterations).toBe(1);
			expect(peak).toBeGreaterThan(0);
			expect(peak).toBeLessThan(2 ** 30);
		} finally {
			rmSync(path, {force: true});
		}
	}, 300_000);

	it.for(CASES)('$name', async (c, {skip}) => {
		// As root without the means to drop the read override, no file is unreadable: nothing to test.
		if (c.unreadable !== undefined && unprivileged === null) skip('running as root and cannot drop the capabilities that read any file');
		// --plain unless the case asks for another output (--plain with --json or --log is refused).
		const args = c.args.some((arg) => arg === '--json' || arg === '--log' || arg === '--plain') ? c.args : ['--plain', ...c.args];
		const result = await gdraceRun(args, {cwd: scratch.dir, unprivileged: c.unreadable !== undefined});
		if (c.unreadable !== undefined) {
			// Sanity: the file really is unreadable for the user the CLI ran as.
			expect(statSync(scratch.path(c.unreadable)).mode & 0o777).toBe(0);
		}
		expect({code: result.code, signal: result.signal}, result.stderr).toEqual({code: c.code, signal: null});
		if (c.code === 0) {
			expect(result.stderr).toBe('');
			expect(result.stdout).not.toBe('');
			expectNoNonFinite(result.stdout);
			c.check?.(result);
			return;
		}
		expect(result.stdout).toBe('');
		const message = expectOneLine(result.stderr);
		expect(message).toMatch(c.message ?? /^$/);
	});

	it('an error is refused before any racing: fast even with a huge --epochs', async () => {
		const result = await gdraceRun(['--plain', ...data('non-numeric.csv', '--epochs', '1000000000000')], {cwd: scratch.dir});
		// Racing 1e12 iterations would take days: ending at all (within the test's timeout) is the check.
		expect(result.code).toBe(1);
	});
});

describe('the same bad input in the live screen (a pseudo-terminal)', () => {
	const LIVE_CASES: readonly (readonly [string, number, readonly string[], RegExp])[] = [
		['a bad cell', 1, data('non-numeric.csv'), /^gdrace: non-numeric\.csv:3:2: column b: "x" is not a number; /],
		['a missing file', 1, data('missing.csv'), /^gdrace: missing\.csv: no such file; /],
		['a constant feature', 1, data('constant.csv'), /^gdrace: constant\.csv: feature b is constant /],
		['a bad flag value', 2, ['--lr', '0'], /^gdrace: --lr must be a number > 0, got "0"; /],
		['an unknown flag', 2, ['--bogus'], /^gdrace: unknown flag "--bogus"; /],
		['an existing export file', 2, ['--export', 'plain.csv'], /^gdrace: --export "plain\.csv": the file exists; add --force/],
	];

	it.each(LIVE_CASES)('%s: one line, exit %i, no frame drawn', async (_name, code, args, pattern) => {
		// Wide enough that the message does not wrap.
		const term = spawnGdrace(args, {cwd: scratch.dir, cols: 250, rows: 30});
		expect(await term.waitForExit(20_000)).toEqual({exitCode: code, signal: null});
		// stdout and stderr share the terminal: the only output is the message line.
		const lines = term.text().split('\n');
		expect(lines).toHaveLength(1);
		expect(lines[0]).toMatch(pattern);
		expect(term.raw()).toMatch(/^gdrace: [^\n]+\r\n$/);
		// No escape sequence at all: the screen never started (no alternate screen, no hidden cursor).
		expect(term.raw()).not.toContain('\u001B');
		expect(term.isAltScreen()).toBe(false);
		expect(term.cursorVisible()).toBe(true);
	});
});
