/**
 * What the standard descriptors are, asked with fstat first. Node's `tty` module (isatty) loads
 * `net` and the streams with it, and so does making `process.stdout` or `process.stderr` for a
 * pipe: about 3–4 ms of a start on Node 20. `gdrace --json | jq` needs neither, so they are
 * loaded only for what may be a terminal: a character device other than /dev/null.
 */
import {createRequire} from 'node:module';
import {fstatSync, statSync} from 'node:fs';
import type {Stats} from 'node:fs';

/** fstat of `fd`, or undefined for a descriptor that is not open. */
function stats(fd: number): Stats | undefined {
	try {
		return fstatSync(fd);
	} catch {
		return undefined;
	}
}

/** /dev/null's device number, asked once (undefined: none, as on Windows). */
let nullDevice: {readonly rdev: number | undefined} | undefined;

/** Whether `stats` are of /dev/null. */
function isNull(stats: Stats): boolean {
	if (!stats.isCharacterDevice()) return false;
	if (nullDevice === undefined) {
		try {
			nullDevice = {rdev: statSync('/dev/null').rdev};
		} catch {
			nullDevice = {rdev: undefined};
		}
	}
	return stats.rdev === nullDevice.rdev;
}

/** Whether `fd` is /dev/null. */
export function isNullDevice(fd: number): boolean {
	const found = stats(fd);
	return found !== undefined && isNull(found);
}

/** Whether `fd` is a terminal: isatty, asked only of a character device that is not /dev/null. */
export function isTerminal(fd: number): boolean {
	const found = stats(fd);
	if (found === undefined || !found.isCharacterDevice() || isNull(found)) return false;
	const tty = createRequire(import.meta.url)('node:tty') as typeof import('node:tty');
	return tty.isatty(fd);
}

/**
 * Whether `fd` is a pipe, a socket, a regular file or /dev/null: a descriptor a finished text can
 * be written to with writeSync, without a stream (a terminal, another device or a closed
 * descriptor: not).
 */
export function isPlainSink(fd: number): boolean {
	const found = stats(fd);
	return found !== undefined && (found.isFIFO() || found.isSocket() || found.isFile() || isNull(found));
}
