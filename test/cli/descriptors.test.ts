/**
 * What the standard descriptors are (src/cli/descriptors.ts), asked of real descriptors. A
 * terminal itself is tested end to end: every pty test of the live screen starts with it.
 */
import {execFileSync} from 'node:child_process';
import {closeSync, constants, mkdtempSync, openSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterAll, describe, expect, it} from 'vitest';
import {isNullDevice, isPlainSink, isTerminal} from '../../src/cli/descriptors.js';

const dir = mkdtempSync(join(tmpdir(), 'gdrace-descriptors-'));
afterAll(() => rmSync(dir, {recursive: true, force: true}));

/** Runs `check` on a descriptor opened by `open`, then closes it. */
function withFd<T>(open: () => number, check: (fd: number) => T): T {
	const fd = open();
	try {
		return check(fd);
	} finally {
		closeSync(fd);
	}
}

const facts = (fd: number) => ({terminal: isTerminal(fd), plain: isPlainSink(fd), null: isNullDevice(fd)});

describe.skipIf(process.platform === 'win32')('descriptors', () => {
	it('/dev/null, read-only or write-only, is no terminal and a plain sink', () => {
		expect(withFd(() => openSync('/dev/null', 'w'), facts)).toEqual({terminal: false, plain: true, null: true});
		expect(withFd(() => openSync('/dev/null', 'r'), facts)).toEqual({terminal: false, plain: true, null: true});
	});

	it('a regular file and a FIFO are plain sinks; another character device is not, nor a terminal', () => {
		expect(withFd(() => openSync(join(dir, 'file'), 'w'), facts)).toEqual({terminal: false, plain: true, null: false});
		const fifo = join(dir, 'fifo');
		execFileSync('mkfifo', [fifo]);
		const reader = openSync(fifo, constants.O_RDONLY | constants.O_NONBLOCK);
		try {
			expect(withFd(() => openSync(fifo, constants.O_WRONLY | constants.O_NONBLOCK), facts)).toEqual({terminal: false, plain: true, null: false});
		} finally {
			closeSync(reader);
		}
		expect(withFd(() => openSync('/dev/zero', 'r'), facts)).toEqual({terminal: false, plain: false, null: false});
	});

	it('a descriptor that is not open is nothing', () => {
		// (A number far above what this process opens: a closed one could be reused meanwhile.)
		expect(facts(1 << 20)).toEqual({terminal: false, plain: false, null: false});
	});
});
