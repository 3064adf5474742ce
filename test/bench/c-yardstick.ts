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

/** Compiles race.c into a temporary directory and hands `use` the binary's path; undefined without gcc or the source. */
export function withYardstickBinary<T>(use: (binary: string) => T): T | undefined {
	if (!existsSync(SOURCE)) return undefined;
	const directory = mkdtempSync(join(tmpdir(), 'gdrace-race-'));
	try {
		const binary = join(directory, 'race');
		try {
			execFileSync('gcc', ['-O3', '-march=native', '-o', binary, SOURCE], {stdio: 'pipe'});
		} catch {
			return undefined;
		}
		return use(binary);
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
