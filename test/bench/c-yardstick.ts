/**
 * The C yardstick of issue 2: `../shared/bench/race.c` (the book race in plain C), compiled with
 * `gcc -O3 -march=native` and run in the same session as the engine's benchmark, so the two
 * numbers are comparable.
 */
import {execFileSync} from 'node:child_process';
import {existsSync, mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {fileURLToPath} from 'node:url';

const SOURCE = fileURLToPath(new URL('../../../shared/bench/race.c', import.meta.url));
const CSV = fileURLToPath(new URL('../../data/boston.csv', import.meta.url));

/** One run's report, parsed from race.c's output line. */
export type YardstickRun = {
	/** Milliseconds spent in the race alone. */
	readonly ms: number;
	/** GD's final weights and bias as printed (8 decimals). */
	readonly gd: readonly [number, number, number];
};

/** Runs the compiled race.c once: `race <iterations> <mode>`; mode 1 evaluates the loss in O(d²), 0 in O(N). */
export type Yardstick = (iterations: number, mode: 0 | 1) => YardstickRun;

/**
 * Compiles race.c into a temporary directory, hands `use` a function that runs it, and removes the
 * binary afterwards. Returns undefined (without calling `use`) when the source or gcc is missing.
 */
export function withYardstick<T>(use: (run: Yardstick) => T): T | undefined {
	if (!existsSync(SOURCE)) {
		return undefined;
	}
	const directory = mkdtempSync(join(tmpdir(), 'gdrace-race-'));
	try {
		const binary = join(directory, 'race');
		try {
			execFileSync('gcc', ['-O3', '-march=native', '-o', binary, SOURCE], {stdio: 'pipe'});
		} catch {
			return undefined;
		}
		return use((iterations, mode) => {
			const line = execFileSync(binary, [String(iterations), String(mode), CSV], {encoding: 'utf8'});
			const match = /seconds=([\d.]+) gd: (\S+) (\S+) (\S+)/.exec(line);
			if (match === null) {
				throw new Error(`unexpected output from race.c: ${line}`);
			}
			return {ms: Number(match[1]) * 1000, gd: [Number(match[2]), Number(match[3]), Number(match[4])]};
		});
	} finally {
		rmSync(directory, {recursive: true, force: true});
	}
}

/** The median of some numbers. */
export function median(values: readonly number[]): number {
	const sorted = [...values].sort((a, b) => a - b);
	const mid = sorted.length >> 1;
	return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}
