import {describe, expect, it} from 'vitest';
import {CastRecorder, castTime} from '../../../src/ui/terminal/cast.js';
import {FrameWriter} from '../../../src/ui/terminal/frame-writer.js';
import {replayCast} from '../../e2e/cast-replay.js';
import {FakeTerminal} from './helpers.js';

/** A recorder on a fake terminal with a hand-driven clock. */
function recording(columns = 20, rows = 5) {
	let now = 1000;
	let text = '';
	const terminal = new FakeTerminal(columns, rows);
	const recorder = new CastRecorder({write: (line) => (text += line)}, {terminal, now: () => now, timestamp: 1_700_000_000, term: 'xterm-256color'});
	return {
		terminal,
		recorder,
		advance: (ms: number) => (now += ms),
		written: () => terminal.chunks.join(''),
		lines: () => text.trimEnd().split('\n').map((line) => JSON.parse(line) as unknown),
		text: () => text,
	};
}

describe('castTime', () => {
	it('is seconds with microsecond precision, never negative', () => {
		expect(castTime(1234.5678)).toBe(1.234568);
		expect(castTime(0)).toBe(0);
		expect(castTime(-5)).toBe(0);
	});
});

describe('CastRecorder', () => {
	it('writes an asciicast v2 header, output events with times, resize events, and passes everything on', () => {
		const r = recording();
		r.advance(250);
		expect(r.recorder.write('\u001B[?1049hhello')).toBe(true);
		r.advance(500);
		r.terminal.resize(30, 8);
		r.advance(250.0004);
		r.recorder.write('\u001B[2;3Hx');
		r.recorder.finish();
		r.recorder.write('after');
		expect(r.lines()).toEqual([
			{version: 2, width: 20, height: 5, timestamp: 1_700_000_000, env: {TERM: 'xterm-256color'}},
			[0.25, 'o', 'hello'],
			[0.75, 'r', '30x8'],
			[1, 'o', '\u001B[2;3Hx'],
			[1, 'o', '\u001B[0m\u001B[?7h\u001B[?25h\u001B[8;1H'],
		]);
		// The terminal got every byte, the alternate screen and what came after the end included.
		expect(r.written()).toBe('\u001B[?1049hhello\u001B[2;3Hxafter');
		expect(r.recorder.columns).toBe(30);
		expect(r.recorder.duration).toBe(1);
	});

	it('records a FrameWriter session that replays to the screen it drew, at each size', async () => {
		const r = recording(24, 6);
		const writer = new FrameWriter(r.recorder);
		writer.start();
		writer.write('first line\nsecond ünïcode\n');
		writer.present();
		const before = await replayCast(r.text());
		expect(before.slice(0, 2)).toEqual(['first line', 'second ünïcode']);
		r.terminal.resize(12, 4);
		writer.write('narrow\n');
		writer.present();
		writer.stop();
		r.recorder.finish();
		const cast = r.text();
		expect(cast).not.toContain('\u001B[?1049');
		const after = await replayCast(cast);
		expect(after).toEqual(['narrow', '', '', '']);
	});
});
