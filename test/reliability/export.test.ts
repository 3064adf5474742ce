/**
 * "Export is never lost": the export is written to a temporary file in the same directory and
 * renamed into place, so an interrupted run never leaves a truncated file under the final name;
 * a run stopped by a signal still writes what it has; an existing file is never touched without
 * --force, and with --force it is replaced whole (a new file renamed over it), never rewritten in
 * place.
 */
import {spawn} from 'node:child_process';
import {constants, existsSync, linkSync, readFileSync, readdirSync, rmSync, statSync, utimesSync, writeFileSync} from 'node:fs';
import {open} from 'node:fs/promises';
import {afterAll, afterEach, describe, expect, it} from 'vitest';
import {disposeAll, spawnGdrace} from '../e2e/pty.js';
import {CLI, RACER_IDS, cleanEnv, expectOneLine, expectTerminalRestored, gdraceAsync, gdraceRun, parseJson, readCsvExport, scratchDir, until, waitForStopListeners} from './helpers.js';

const scratch = scratchDir('export');
afterAll(() => scratch.cleanup());
afterEach(disposeAll);

/** A race that runs until stopped: 10,000,000,000 iterations (minutes, even for one racer). */
const ENDLESS = ['--epochs', '10000000000'];

// Each test its own process and file names: side by side.
describe.concurrent('an interrupted run never leaves a truncated file under the final name', {timeout: 60_000}, () => {
	it('SIGKILL mid-race: no file under the final name, no temporary file', async () => {
		// The ndjson log shows the race has begun: kill once its first line is out.
		const run = gdraceAsync(['--log', 'ndjson', ...ENDLESS, '--optimizers', 'sgd', '--export', 'killed.csv'], {cwd: scratch.dir});
		await until(() => run.stdout().includes('\n'), 20_000);
		run.child.kill('SIGKILL');
		const result = await run.done;
		expect(result.signal).toBe('SIGKILL');
		expect(existsSync(scratch.path('killed.csv'))).toBe(false);
		expect(scratch.temporaryFiles('killed.csv')).toEqual([]);
	}, 30_000);

	it('SIGKILL while the export is being written: nothing under the final name, never a truncated file', async () => {
		// The temporary file's name is known before the run (`.NAME.PID.tmp`, and `exec` keeps the
		// shell's pid): made a FIFO, it holds the writer mid-write for as long as the test does not read,
		// so the kill lands during the write every time, whatever the machine's load.
		const name = 'mid-write.csv';
		const script = 'mkfifo ".$0.$$.tmp" && exec "$@"';
		const child = spawn('sh', ['-c', script, name, process.execPath, CLI, '--plain', '--epochs', '5000', '--export', name], {
			cwd: scratch.dir,
			env: cleanEnv(),
			stdio: 'ignore',
		});
		const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('close', (_code, signal) => resolve(signal)));
		const temporary = scratch.path(`.${name}.${child.pid}.tmp`);
		await until(() => existsSync(temporary), 20_000);
		// Opening the read end waits for the writer to open the temporary file: the race is over then.
		const opening = open(temporary, 'r');
		const reader = await Promise.race([opening, exited.then(() => undefined)]);
		if (reader === undefined) {
			// Not opened: unblock the pending open (a writer that gives up at once) before failing.
			await open(temporary, constants.O_WRONLY | constants.O_NONBLOCK).then((fd) => fd.close(), () => undefined);
			await (await opening).close();
			throw new Error('gdrace ended before it wrote the export');
		}
		try {
			const {bytesRead, buffer} = await reader.read(Buffer.alloc(4096), 0, 4096, null);
			// The export has begun (and is far longer than the 64 KiB a pipe holds: the writer is blocked in it).
			expect(buffer.subarray(0, bytesRead).toString('utf8')).toMatch(/^racer,iteration,samples,ms,loss,lr\ngd,0,0,0,/);
			child.kill('SIGKILL');
			expect(await exited).toBe('SIGKILL');
		} finally {
			await reader.close();
		}
		expect(existsSync(scratch.path(name))).toBe(false);
		rmSync(temporary);
	}, 30_000);

	it('SIGTERM mid-race: exit 143, the summary says so, and the export holds every racer, complete', async () => {
		const run = gdraceAsync(['--plain', ...ENDLESS, '--export', 'stopped.csv'], {cwd: scratch.dir});
		// Whenever the signal lands once gdrace listens, everything below holds.
		await waitForStopListeners(run.child.pid as number);
		run.child.kill('SIGTERM');
		const result = await run.done;
		expect({code: result.code, signal: result.signal}).toEqual({code: 143, signal: null});
		expect(result.stderr).toBe('');
		expect(result.stdout).toContain('Stopped   by SIGTERM before the end: the numbers are where each racer was');
		const rows = readCsvExport(scratch.path('stopped.csv'));
		expect(new Set(rows.map((row) => row.racer))).toEqual(new Set(RACER_IDS));
		// The export ends where the summary says each racer was.
		const updates = /^updates +([\d,]+) +([\d,]+) +([\d,]+) +([\d,]+)$/m.exec(result.stdout);
		expect(updates).not.toBeNull();
		const sgdRows = rows.filter((row) => row.racer === 'sgd');
		expect(sgdRows.at(-1)?.iteration).toBe(Number(updates?.[2]?.replace(/,/g, '')));
		expect(scratch.temporaryFiles('stopped.csv')).toEqual([]);
	}, 30_000);

	it('SIGINT mid-race with an .ndjson export: exit 130, every line a complete JSON object', async () => {
		const run = gdraceAsync(['--json', ...ENDLESS, '--optimizers', 'gd,sgd', '--export', 'stopped.ndjson'], {cwd: scratch.dir});
		await waitForStopListeners(run.child.pid as number);
		run.child.kill('SIGINT');
		const result = await run.done;
		expect(result.code).toBe(130);
		const doc = parseJson(result.stdout);
		expect(doc).toMatchObject({stoppedBy: 'SIGINT'});
		const text = readFileSync(scratch.path('stopped.ndjson'), 'utf8');
		expect(text.endsWith('\n')).toBe(true);
		const points = text.trimEnd().split('\n').map((line) => JSON.parse(line) as {racer: string; iteration: number; loss: number});
		for (const point of points) expect(Number.isFinite(point.loss)).toBe(true);
		// Each racer from its starting point to where --json says it stopped (however far that was).
		for (const id of ['gd', 'sgd']) {
			const mine = points.filter((point) => point.racer === id);
			expect(mine[0]?.iteration, id).toBe(0);
			expect(mine.at(-1)?.iteration, id).toBe(doc.racers.find((racer) => racer.id === id)?.iterations);
		}
		expect(points.length).toBe(points.filter((point) => point.racer === 'gd' || point.racer === 'sgd').length);
	}, 30_000);
});

describe.concurrent('an existing file', {timeout: 30_000}, () => {
	it('without --force: refused before the race (exit 2), the file untouched, bytes and mtime', async () => {
		const path = scratch.write('mine.csv', 'precious,data\n1,2\n');
		const past = new Date('2020-01-02T03:04:05Z');
		utimesSync(path, past, past);
		const before = statSync(path);
		// The race would take minutes: refused at once instead (a generous bound for a loaded machine).
		const result = await gdraceRun(['--plain', ...ENDLESS, '--export', 'mine.csv'], {cwd: scratch.dir});
		expect(result.code).toBe(2);
		expect(result.stdout).toBe('');
		expect(expectOneLine(result.stderr)).toBe('--export "mine.csv": the file exists; add --force to overwrite it, or choose another name');
		expect(result.ms).toBeLessThan(15_000);
		const after = statSync(path);
		expect(readFileSync(path, 'utf8')).toBe('precious,data\n1,2\n');
		expect(after.mtimeMs).toBe(before.mtimeMs);
		expect(after.ino).toBe(before.ino);
		expect(scratch.temporaryFiles('mine.csv')).toEqual([]);
	}, 30_000);

	it('with --force: replaced by a new file renamed over it, never rewritten in place', async () => {
		const path = scratch.write('replace.csv', 'old contents\n');
		// A second name for the old file: if the export rewrote the file in place, this would change too.
		linkSync(path, scratch.path('replace-old-link.csv'));
		const result = await gdraceRun(['--plain', '--epochs', '50', '--optimizers', 'gd', '--export', 'replace.csv', '--force'], {cwd: scratch.dir});
		expect(result.code).toBe(0);
		expect(readCsvExport(path)).toHaveLength(51);
		expect(readFileSync(scratch.path('replace-old-link.csv'), 'utf8')).toBe('old contents\n');
		expect(statSync(path).ino).not.toBe(statSync(scratch.path('replace-old-link.csv')).ino);
		expect(scratch.temporaryFiles('replace.csv')).toEqual([]);
	}, 30_000);

	it('a file that appears under the name during the run is left alone; the history is kept in the temporary file', async () => {
		const run = gdraceAsync(['--plain', ...ENDLESS, '--optimizers', 'sgd', '--export', 'appeared.csv'], {cwd: scratch.dir});
		// The name is checked before the race, and gdrace listens for signals just before it starts.
		await waitForStopListeners(run.child.pid as number);
		writeFileSync(scratch.path('appeared.csv'), 'somebody else\n');
		run.child.kill('SIGTERM');
		const result = await run.done;
		// The signal's exit code stands; the problem is one line on stderr naming where the history is.
		expect(result.code).toBe(143);
		const message = expectOneLine(result.stderr);
		const temporary = `.appeared.csv.${run.child.pid}.tmp`;
		expect(message).toBe(
			`"appeared.csv" appeared while the race ran and was left alone; the history is in "${temporary}" (rename it, or rerun with --force to overwrite)`,
		);
		expect(readFileSync(scratch.path('appeared.csv'), 'utf8')).toBe('somebody else\n');
		const kept = readCsvExport(scratch.path(temporary));
		expect(kept[0]).toMatchObject({racer: 'sgd', iteration: 0});
		expect(kept.every((row) => row.racer === 'sgd')).toBe(true);
		rmSync(scratch.path(temporary));
	}, 30_000);
});

describe('in the live screen', () => {
	it('a file that appears under the name during the run: q → exit 1, one line, terminal restored, the summary still printed', async () => {
		const term = spawnGdrace(['--export', 'live-appeared.csv', '--epochs', '100000'], {cwd: scratch.dir, cols: 250, rows: 30});
		// A key can arrive before the first tick: wait until the race has moved (GD past iteration 0 in
		// the table), so the history holds more than the racers' starting points.
		await term.waitFor((session) => /^GD +[\d,]*[1-9][\d,]* /m.test(session.text()), {timeout: 15_000});
		writeFileSync(scratch.path('live-appeared.csv'), 'somebody else\n');
		term.press('q');
		expect(await term.waitForExit(15_000)).toEqual({exitCode: 1, signal: null});
		expectTerminalRestored(term);
		const scrollback = term.scrollback();
		const errors = scrollback.filter((line) => line.startsWith('gdrace: '));
		expect(errors).toHaveLength(1);
		expect(errors[0]).toMatch(/^gdrace: "live-appeared\.csv" appeared while the race ran and was left alone; the history is in "\.live-appeared\.csv\.\d+\.tmp"/);
		expect(scrollback.join('\n')).toMatch(/^Results +gd +sgd +mb-random +mb-epoch +optimum$/m);
		expect(readFileSync(scratch.path('live-appeared.csv'), 'utf8')).toBe('somebody else\n');
		const [kept] = readdirSync(scratch.dir).filter((name) => name.startsWith('.live-appeared.csv.'));
		expect(kept).toBeDefined();
		const rows = readCsvExport(scratch.path(kept as string));
		expect(new Set(rows.map((row) => row.racer))).toEqual(new Set(RACER_IDS));
		expect(rows.length).toBeGreaterThan(RACER_IDS.length);
		// The kept history ends where the summary says GD was.
		const gd = /^iterations +([\d,]+) /m.exec(scrollback.join('\n'));
		expect(rows.filter((row) => row.racer === 'gd').at(-1)?.iteration).toBe(Number(gd?.[1]?.replace(/,/g, '')));
		rmSync(scratch.path(kept as string));
	}, 30_000);
});
