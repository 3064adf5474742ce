import {closeSync, openSync, statSync, writeSync} from 'node:fs';
import {performance} from 'node:perf_hooks';
import {afterAll, describe, expect, it} from 'vitest';
import {loadDataset} from '../../src/data/dataset.js';
import {tempDir} from './helpers.js';

const tmp = tempDir();
afterAll(() => tmp.cleanup());

const ROWS = 1_100_000;
const x1 = (i: number): number => (i % 1000) / 8;
const x2 = (i: number): number => Math.sin(i);
const y = (i: number): number => 3 * x1(i) - 2 * x2(i) + (i % 13) / 4;

/**
 * About 80 MB of CSV with a BOM, CRLF line ends, a quoted text column with commas and, every
 * 1000th row, a line break inside the quotes. Every number is written with `String`, which
 * round-trips exactly, so the loaded values must equal the generated ones bit for bit.
 */
function writeLargeFile(path: string): number {
	const fd = openSync(path, 'w');
	try {
		writeSync(fd, '\uFEFFid,label,x1,x2,y\r\n');
		let batch = '';
		for (let i = 0; i < ROWS; i++) {
			const label = i % 1000 === 0 ? `item ${i},\r\nsecond line` : `item ${i}, lot ${i % 97}`;
			batch += `${i},"${label}",${x1(i)},${x2(i)},${y(i)}\r\n`;
			if (batch.length > 1 << 20) {
				writeSync(fd, batch);
				batch = '';
			}
		}
		writeSync(fd, batch);
	} finally {
		closeSync(fd);
	}
	return statSync(path).size;
}

describe('a large file', () => {
	it('streams an ~80 MB file and keeps every value exactly', () => {
		const path = tmp.file('large.csv', '');
		const bytes = writeLargeFile(path);
		expect(bytes).toBeGreaterThan(70e6);

		const rssBefore = process.memoryUsage().rss;
		const start = performance.now();
		const data = loadDataset({path, features: ['x1', 'x2'], target: 'y', scale: 'none'});
		const seconds = (performance.now() - start) / 1000;
		const peakRss = process.resourceUsage().maxRSS * 1024;

		expect(data.rows).toBe(ROWS);
		let wrong = 0;
		for (let i = 0; i < ROWS; i++) {
			if (data.x[2 * i] !== x1(i) || data.x[2 * i + 1] !== x2(i) || data.y[i] !== y(i)) wrong++;
		}
		expect(wrong).toBe(0);

		// Measured, not asserted (speed belongs to benchmarks): printed for the report.
		const mb = bytes / 1e6;
		console.log(
			`large.csv: ${mb.toFixed(1)} MB, ${ROWS} rows in ${seconds.toFixed(2)} s ` +
				`(${(mb / seconds).toFixed(0)} MB/s); RSS before ${(rssBefore / 1e6).toFixed(0)} MB, peak ${(peakRss / 1e6).toFixed(0)} MB`,
		);
	}, 120_000);
});
