import {readFileSync} from 'node:fs';
import {afterAll, describe, expect, it} from 'vitest';
import {BUNDLED_DATA} from '../../src/data/dataset.js';
import {CsvParser, readCsv} from '../../src/data/csv.js';
import type {CsvParserOptions} from '../../src/data/csv.js';
import {generator} from '../random.js';
import {expectDataError, tempDir} from './helpers.js';

type Row = {readonly fields: string[]; readonly line: number};

/** Parses `pieces` pushed one after the other. */
function parse(pieces: readonly string[], options: Partial<CsvParserOptions> = {}): {rows: Row[]; lines: number} {
	const rows: Row[] = [];
	const parser = new CsvParser((fields, line) => {
		rows.push({fields, line});
	}, {source: 'mem.csv', ...options});
	for (const piece of pieces) parser.push(piece);
	parser.end();
	return {rows, lines: parser.lines};
}

const rowsOf = (text: string): Row[] => parse([text]).rows;

const tmp = tempDir();
afterAll(() => tmp.cleanup());

describe('CsvParser: valid input', () => {
	it('reads plain records with their line numbers', () => {
		expect(rowsOf('a,b,c\n1,2,3\n4,5,6\n')).toEqual([
			{fields: ['a', 'b', 'c'], line: 1},
			{fields: ['1', '2', '3'], line: 2},
			{fields: ['4', '5', '6'], line: 3},
		]);
	});

	it('reads a last line without a line end', () => {
		expect(rowsOf('a,b\n1,2')).toEqual([
			{fields: ['a', 'b'], line: 1},
			{fields: ['1', '2'], line: 2},
		]);
	});

	it('treats CRLF, LF and a lone CR as one line end each', () => {
		const rows = rowsOf('a,b\r\n1,2\r\n3,4\n5,6\r7,8\r\n');
		expect(rows.map((r) => r.fields)).toEqual([
			['a', 'b'],
			['1', '2'],
			['3', '4'],
			['5', '6'],
			['7', '8'],
		]);
		expect(rows.map((r) => r.line)).toEqual([1, 2, 3, 4, 5]);
	});

	it('skips a UTF-8 byte-order mark', () => {
		expect(rowsOf('\uFEFFa,b\n1,2\n')[0]).toEqual({fields: ['a', 'b'], line: 1});
	});

	it('reads quoted fields with commas, doubled quotes and line breaks', () => {
		const text = 'name,note,v\n"Smith, J.","said ""hi""",1\n"multi\nline\r\nfield",x,2\n"",y,3\n';
		const rows = rowsOf(text);
		expect(rows).toEqual([
			{fields: ['name', 'note', 'v'], line: 1},
			{fields: ['Smith, J.', 'said "hi"', '1'], line: 2},
			// The record starts on line 3 and spans 3 lines (LF, then CRLF counted once).
			{fields: ['multi\nline\r\nfield', 'x', '2'], line: 3},
			{fields: ['', 'y', '3'], line: 6},
		]);
		expect(parse([text]).lines).toBe(6);
	});

	it('keeps a quote inside an unquoted field as an ordinary character', () => {
		expect(rowsOf('a,b\n5\'10",x\n')[1]?.fields).toEqual(['5\'10"', 'x']);
	});

	it('ends a line that finishes with a comma with an empty field', () => {
		expect(rowsOf('a,b,\n1,2,\n1,2,')[2]?.fields).toEqual(['1', '2', '']);
		expect(rowsOf('a,b,\n1,2,\n1,2,')[1]?.fields).toEqual(['1', '2', '']);
	});

	it('skips blank and whitespace-only lines anywhere but counts them as lines', () => {
		const {rows, lines} = parse(['\n\na,b\n\n1,2\n   \n\t\n3,4\n\n\r\n\n']);
		expect(rows).toEqual([
			{fields: ['a', 'b'], line: 3},
			{fields: ['1', '2'], line: 5},
			{fields: ['3', '4'], line: 8},
		]);
		expect(lines).toBe(11);
	});

	it('hands over a quoted empty field alone on a line as a record (it is not blank)', () => {
		expect(rowsOf('a\n""\n')).toEqual([
			{fields: ['a'], line: 1},
			{fields: [''], line: 2},
		]);
	});

	it('gives the same records however the text is split into pieces', () => {
		const text = '\uFEFFh1,"h,2",h3\r\n"a ""q"" b","x\r\ny",z\r\n1,2,3\r4,"5"\n\n"6",,\r\n';
		const whole = parse([text]);
		expect(whole.rows).toHaveLength(5);
		for (let cut = 0; cut <= text.length; cut++) {
			expect(parse([text.slice(0, cut), text.slice(cut)]), `cut at ${cut}`).toEqual(whole);
		}
		for (let a = 0; a <= text.length; a += 3) {
			for (let b = a; b <= text.length; b += 2) {
				expect(parse([text.slice(0, a), text.slice(a, b), text.slice(b)]), `cuts at ${a}, ${b}`).toEqual(whole);
			}
		}
		expect(parse([...text])).toEqual(whole);
	});
});

describe('CsvParser: field mask', () => {
	it('copies only the fields the handler asks for, still counting every field', () => {
		const rows: Row[] = [];
		const parser = new CsvParser(
			(fields, line) => {
				rows.push({fields, line});
				return line === 1 ? [false, true, false, true] : undefined;
			},
			{source: 'mem.csv'},
		);
		parser.push('a,b,c,d\n1,2,3,4\n5,"6",7,8,9\n"x",y,"z"');
		parser.end();
		expect(rows).toEqual([
			{fields: ['a', 'b', 'c', 'd'], line: 1},
			{fields: ['', '2', '', '4'], line: 2},
			// Past the mask nothing is copied; quoted fields are always kept.
			{fields: ['', '6', '', '8', ''], line: 3},
			{fields: ['x', 'y', 'z'], line: 4},
		]);
	});
});

describe('CsvParser: errors', () => {
	it('reports a quoted field never closed at the line and field where it opens', () => {
		expectDataError(() => parse(['a,b,c\n1,2,3\n4,"5,6\n7,8,9\n']), {file: 'mem.csv', line: 3, column: 2}, /quoted field .* never closed/);
	});

	it('reports the opening line, not the record line, when an earlier field spans lines', () => {
		expectDataError(() => parse(['a,b\n"x\ny","open\n']), {file: 'mem.csv', line: 3, column: 2}, /never closed/);
	});

	it('refuses text after a closing quote', () => {
		expectDataError(() => parse(['a,b\n1,"2"x\n']), {file: 'mem.csv', line: 2, column: 2}, /unexpected "x" after the closing quote/);
	});

	it('refuses NUL bytes (binary or UTF-16 files) at their line', () => {
		expectDataError(() => parse(['a,b\n1,2\n3\u00004\n']), {file: 'mem.csv', line: 3}, /NUL byte/);
	});

	it('caps the length of a record, pointing at an open quote', () => {
		const big = `a,b\n1,"${'x'.repeat(50)}`;
		expectDataError(
			() => parse([big.slice(0, 20), big.slice(20), '\n'], {maxRecordChars: 40}),
			{file: 'mem.csv', line: 2, column: 2},
			/a quoted field starts here and is never closed \(the file ends inside it\); add the closing quote/,
		);
		const long = `a,b\n${'y'.repeat(50)}`;
		expectDataError(() => parse([long.slice(0, 20), long.slice(20), 'z'], {maxRecordChars: 40}), {file: 'mem.csv', line: 2}, /record longer than 40 characters/);
	});

	it('calls a closed quoted cell past the limit too long, not open (wherever it closes)', () => {
		const cell = `"${'x'.repeat(30)}""${'y'.repeat(30)}\n${'z'.repeat(30)}"`;
		const text = `a,b\n1,${cell},\n2,3\n`;
		const tooLong = (closes: string) =>
			new RegExp(`: a quoted field starts here and holds more than 40 characters \\(its closing quote is ${closes}\\); gdrace reads at most that many`);
		// (The limit is checked between pieces of the file, 1 MiB apart in a real read: pieces here are small.)
		for (const size of [7, 16, 45]) {
			const pieces = text.match(new RegExp(`[^]{1,${size}}`, 'g')) ?? [];
			expectDataError(() => parse(pieces, {maxRecordChars: 40}), {file: 'mem.csv', line: 2, column: 2}, tooLong('on line 3'));
		}
		// Closed at the very end of the file (no line end after the quote), and on its own line.
		expectDataError(() => parse([`a\n"${'x'.repeat(50)}"`], {maxRecordChars: 40}), {file: 'mem.csv', line: 2, column: 1}, tooLong('on the same line'));
		// Within the limit it is read whole.
		expect(parse([text], {maxRecordChars: 200}).rows[1]?.fields[1]).toBe(`${'x'.repeat(30)}"${'y'.repeat(30)}\n${'z'.repeat(30)}`);
	});

	it('caps the number of fields in a record', () => {
		expectDataError(() => parse(['a\n1,2,3,4,5\n'], {maxFields: 4}), {file: 'mem.csv', line: 2}, /more than 4 fields/);
	});
});

describe('readCsv', () => {
	// Multi-byte characters of 2 (é), 3 (€) and 4 (😀) bytes, a BOM, quotes and CRLF: with tiny
	// chunks every one of them is split between reads somewhere.
	const text = '\uFEFFcafé,"pr€ce, €",😀\r\n"a\r\n😀",2,"x""y"\r\n€,é,😀\r\n';
	const expected: Row[] = [
		{fields: ['café', 'pr€ce, €', '😀'], line: 1},
		{fields: ['a\r\n😀', '2', 'x"y'], line: 2},
		{fields: ['€', 'é', '😀'], line: 4},
	];

	it('reads a file with multi-byte UTF-8 split across chunks of any size', () => {
		const path = tmp.file('utf8.csv', text);
		for (const chunkBytes of [1, 2, 3, 4, 5, 7, 11, 64, 1 << 20]) {
			const rows: Row[] = [];
			const summary = readCsv(
				path,
				(fields, line) => {
					rows.push({fields, line});
				},
				{source: 'utf8.csv', chunkBytes},
			);
			expect(rows, `chunk ${chunkBytes}`).toEqual(expected);
			expect(summary).toEqual({records: 3, lines: 4, bytes: Buffer.byteLength(text)});
		}
	});

	it('reports the line of an unterminated quote with tiny chunks', () => {
		const path = tmp.file('open.csv', 'a,b\r\n1,2\r\n3,"4\r\n5,6\r\n');
		expectDataError(() => readCsv(path, () => {}, {source: 'open.csv', chunkBytes: 3}), {file: 'open.csv', line: 3, column: 2}, /never closed/);
	});

	it('lets an error thrown by the handler pass through', () => {
		const path = tmp.file('stop.csv', 'a\n1\n2\n');
		expect(() =>
			readCsv(
				path,
				(_fields, line) => {
					if (line === 2) throw new RangeError('stop');
				},
				{source: 'stop.csv'},
			),
		).toThrow(RangeError);
	});
});

// The parser splits whole lines without quotes or CRs natively (CsvParser `pushLines`): the
// records, line numbers, masks and errors must be the character loop's, whatever the text and
// however it is cut into pieces.
describe('CsvParser: the native line split gives what the character loop gives', () => {
	/** What a parse hands over and says, with or without the line split. */
	function outcome(pieces: readonly string[], lineSplit: boolean, options: {maxFields?: number; maskAt?: number} = {}): unknown {
		const rows: Row[] = [];
		const parser = new CsvParser(
			(fields, line) => {
				rows.push({fields: [...fields], line});
				// The first record (a header) masks every other field from then on.
				if (rows.length === 1 && options.maskAt !== undefined) return fields.map((_, index) => index % options.maskAt! === 0);
				return undefined;
			},
			{source: 'mem.csv', lineSplit, ...(options.maxFields === undefined ? {} : {maxFields: options.maxFields})},
		);
		try {
			for (const piece of pieces) parser.push(piece);
			parser.end();
			return {rows, lines: parser.lines, records: parser.records};
		} catch (error) {
			return {rows, error: (error as Error).message};
		}
	}

	it('on random texts, pieces, masks and field limits', () => {
		const random = generator(20261203);
		const pick = <T,>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
		for (let round = 0; round < 400; round++) {
			const lines = Array.from({length: Math.floor(random() * 12)}, () =>
				Array.from({length: 1 + Math.floor(random() * 5)}, () => pick(['', ' ', '1', '2.5', 'x', '  7 ', '-3e2', 'é', '방수'])).join(','),
			);
			// Sometimes a quote or a CR (the character loop then reads the piece), a BOM, no last LF.
			let text = (random() < 0.2 ? '\uFEFF' : '') + lines.join('\n') + (random() < 0.7 ? '\n' : '');
			if (random() < 0.15) text = text.replace(',', random() < 0.5 ? ',"q,q",' : '\r\n');
			const cuts = [0, ...Array.from({length: Math.floor(random() * 4)}, () => Math.floor(random() * (text.length + 1))).sort((a, b) => a - b), text.length];
			const pieces = cuts.slice(1).map((cut, index) => text.slice(cuts[index], cut));
			const options = {...(random() < 0.3 ? {maxFields: 1 + Math.floor(random() * 4)} : {}), ...(random() < 0.5 ? {maskAt: 2} : {})};
			expect(outcome(pieces, true, options), JSON.stringify({pieces, options})).toEqual(outcome(pieces, false, options));
		}
	});

	it('on the bundled data, in one piece and in 4 KiB pieces', () => {
		const text = readFileSync(BUNDLED_DATA, 'utf8');
		const pieces = Array.from({length: Math.ceil(text.length / 4096)}, (_, index) => text.slice(index * 4096, (index + 1) * 4096));
		for (const cut of [[text], pieces]) {
			const fast = outcome(cut, true, {maskAt: 3}) as {rows: Row[]; lines: number};
			expect(fast).toEqual(outcome(cut, false, {maskAt: 3}));
			expect(fast.rows).toHaveLength(507);
			expect(fast.lines).toBe(507);
		}
	});
});
