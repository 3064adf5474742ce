/**
 * `--cast FILE --render` (issue 9, "Recordings"): the whole race rendered offline in virtual
 * time, without a terminal: the same seed and flags give the same events byte for byte (only the
 * header's timestamp may differ), at --fps and --speed, at --cols × --rows, ending on the
 * finished race held --hold seconds.
 */
import {readFileSync} from 'node:fs';
import {afterAll, describe, expect, it} from 'vitest';
import {expectOneLine, gdrace, scratchDir} from '../reliability/helpers.js';
import {parseCast, replayCast} from './cast-replay.js';
import {footerText} from '../../src/ui/components/Footer.js';
import {RUNNING} from '../../src/ui/keymap.js';

const scratch = scratchDir('render');
afterAll(() => scratch.cleanup());

const RACE = ['--epochs', '300', '--speed', '600', '--seed', '7'];

describe('--cast FILE --render', () => {
	it('renders the same events for the same seed and flags, and ends on the finished race', () => {
		const first = gdrace(['--cast', 'one.cast', '--render', ...RACE], {cwd: scratch.dir});
		expect(first.stderr).toBe('');
		expect(first.code).toBe(0);
		const second = gdrace(['--cast', 'two.cast', '--render', ...RACE], {cwd: scratch.dir});
		expect(second.code).toBe(0);
		const one = readFileSync(scratch.path('one.cast'), 'utf8');
		const two = readFileSync(scratch.path('two.cast'), 'utf8');
		const [headOne, ...eventsOne] = one.split('\n');
		const [headTwo, ...eventsTwo] = two.split('\n');
		expect(eventsOne.join('\n')).toBe(eventsTwo.join('\n'));
		const strip = (head: string | undefined) => ({...(JSON.parse(head ?? '') as Record<string, unknown>), timestamp: 0});
		expect(strip(headOne)).toEqual(strip(headTwo));
		expect(scratch.temporaryFiles()).toEqual([]);
		// The summary on stdout names the recording.
		expect(first.stdout.trimEnd().split('\n').at(-1)).toMatch(/^recorded \d+\.\d s to one\.cast$/);

		const {header, events} = parseCast(one);
		expect(header).toMatchObject({version: 2, width: 100, height: 30, env: {TERM: 'xterm-256color'}});
		// 300 iterations at 600/s: half a second of race, then the 2 s hold, in virtual time.
		const output = events.filter(([, kind]) => kind === 'o');
		const frames = output.filter(([, , data]) => data.includes('\u001B[?2026h'));
		const end = output.at(-1)![0];
		const lastFrame = frames.at(-1)![0];
		// The hold starts with the commit of the frame that saw the race over (the last frame drawn),
		// not whenever React gets round to its passive effects: that made the end vary by a frame.
		expect(end - lastFrame).toBeCloseTo(2, 5);
		expect(lastFrame).toBeGreaterThanOrEqual(0.5);
		expect(lastFrame).toBeLessThan(1);
		// About one frame per 1/30 s while the race ran (not one per engine tick, not fewer).
		expect(frames.length).toBeGreaterThan(10);
		expect(frames.length).toBeLessThan(40);
	}, 60_000);

	it('ends on the finished race, at --cols × --rows', async () => {
		const result = gdrace(['--cast', 'small.cast', '--render', '--cols', '80', '--rows', '24', ...RACE], {cwd: scratch.dir});
		expect(result.code).toBe(0);
		const text = readFileSync(scratch.path('small.cast'), 'utf8');
		expect(parseCast(text).header).toMatchObject({width: 80, height: 24});
		const screen = await replayCast(text);
		expect(screen[0]).toMatch(/ done$/);
		expect(screen[1]).toMatch(/^clock iteration 300 \/ 300 /);
		expect(screen.every((line) => line.length <= 80)).toBe(true);
	}, 60_000);

	it('--demo renders the whole race in the gap view, ending on the finished race', async () => {
		const result = gdrace(['--demo', '--cast', 'demo.cast', '--render'], {cwd: scratch.dir});
		expect(result.stderr).toBe('');
		expect(result.code).toBe(0);
		const screen = await replayCast(readFileSync(scratch.path('demo.cast'), 'utf8'));
		expect(screen[0]).toMatch(/ done$/);
		expect(screen[1]).toMatch(/^clock iteration 3,000 \/ 3,000 /);
		// The six racers' gaps to L* on a log scale, where the loss view piles them up on the L* line.
		expect(screen[2]).toMatch(/^1 .* 6 .*adam +loss − L\* \(log scale\)$/);
		expect(screen.filter((line) => /reached ±1% @/.test(line))).toHaveLength(6);
		// The footer offers the keys a finished race has live (in the gap view, no `l`), not "keys off".
		expect(screen[28]).toBe(footerText(100, {...RUNNING, over: true, view: 'gap'}));
		expect(screen[28]).toMatch(/^c clock {2}g gap {2}m map .*\? help {2}q quit$/);
	}, 60_000);

	it('draws the map beside the chart from 160 columns, on the --map axes', async () => {
		const result = gdrace(['--demo', '--cast', 'wide.cast', '--render', '--cols', '160', '--rows', '40', '--map', 'LSTAT,RM', ...RACE], {cwd: scratch.dir});
		expect(result.code).toBe(0);
		const screen = await replayCast(readFileSync(scratch.path('wide.cast'), 'utf8'));
		expect(screen[2]).toMatch(/^1 .* gap \(log\) +map LSTAT → RM ↑/);
	}, 60_000);

	it('needs --cast, refuses --cols without --render, and never clobbers without --force', () => {
		expect(expectOneLine(gdrace(['--render']).stderr)).toMatch(/--render writes a recording; give it a file with --cast FILE/);
		expect(expectOneLine(gdrace(['--cols', '80']).stderr)).toMatch(/--cols sets the size --render draws at/);
		expect(expectOneLine(gdrace(['--cast', 'x.cast', '--render', '--rows', '5']).stderr)).toMatch(/--rows must be an integer from 10 to 500/);
		const taken = scratch.write('taken.cast', 'mine\n');
		const refused = gdrace(['--cast', 'taken.cast', '--render', ...RACE], {cwd: scratch.dir});
		expect(refused.code).toBe(2);
		expect(readFileSync(taken, 'utf8')).toBe('mine\n');
		const forced = gdrace(['--cast', 'taken.cast', '--render', '--force', ...RACE], {cwd: scratch.dir});
		expect(forced.code).toBe(0);
		expect(parseCast(readFileSync(taken, 'utf8')).header.version).toBe(2);
	}, 60_000);
});
