/**
 * Checks the user's choice of feature and target columns, alone and against a header row.
 *
 * Duplicate header names: only a duplicated name that is selected is an error (it is ambiguous);
 * duplicates among the columns gdrace does not use are accepted, as are empty header names.
 */
import {dataError} from './errors.js';

/** At most this many column names are listed in an "unknown column" message. */
export const LISTED_COLUMNS = 20;

/** Where the selected columns are: `indices[k]` is the 0-based header position of feature k, then the target. */
export type ColumnSelection = {
	readonly features: readonly string[];
	readonly target: string;
	/** Header positions of the features, in order, then of the target (length d + 1). */
	readonly indices: readonly number[];
};

/** Trims the names and checks the selection itself: at least one feature, none twice, the target not among them. */
export function checkSelection(
	source: string,
	features: readonly string[],
	target: string,
): {readonly features: string[]; readonly target: string} {
	const names = features.map((name) => name.trim());
	const goal = target.trim();
	if (names.length === 0) {
		throw dataError(source, 'no feature columns selected; name at least one with --features (e.g. --features RM,LSTAT)');
	}
	if (goal === '') throw dataError(source, 'the target column name is empty; name it with --target (e.g. --target MEDV)');
	const seen = new Set<string>();
	for (const name of names) {
		if (name === '') {
			throw dataError(source, 'an empty feature name was given; list column names separated by commas, e.g. --features RM,LSTAT');
		}
		if (seen.has(name)) throw dataError(source, `feature ${quoteName(name)} is listed twice; list each feature once`);
		seen.add(name);
	}
	if (seen.has(goal)) {
		throw dataError(
			source,
			`${quoteName(goal)} is both the target and a feature; remove it from --features or choose another --target`,
		);
	}
	return {features: names, target: goal};
}

/**
 * Finds the selected columns in the header (names already trimmed). Throws a `DataError` at the
 * header line for an unknown column (listing the available ones, with a suggestion when a name
 * is close) or a selected name that appears more than once.
 */
export function resolveColumns(
	source: string,
	header: readonly string[],
	headerLine: number,
	features: readonly string[],
	target: string,
): ColumnSelection {
	const positions = new Map<string, number[]>();
	header.forEach((name, index) => {
		const list = positions.get(name);
		if (list === undefined) positions.set(name, [index]);
		else list.push(index);
	});
	const find = (name: string, role: string): number => {
		const found = positions.get(name);
		if (found === undefined) {
			throw dataError(source, `no column named ${quoteName(name)} (the ${role}); ${describeColumns(header, name)}`, headerLine);
		}
		if (found.length > 1) {
			const columns = found.map((index) => index + 1).join(' and ');
			throw dataError(
				source,
				`the header names ${found.length} columns ${quoteName(name)} (columns ${columns}), so the ${role} is ambiguous; ` +
					'rename the duplicates so that every selected name is unique',
				headerLine,
				(found[1] ?? 0) + 1,
			);
		}
		return found[0] ?? 0;
	};
	const indices = features.map((name) => find(name, 'feature'));
	indices.push(find(target, 'target'));
	return {features, target, indices};
}

/** `RM` as is; a name with spaces or odd characters in double quotes. */
export function quoteName(name: string): string {
	return /^[\w.-]+$/.test(name) ? name : JSON.stringify(name);
}

/** "the columns are A, B, … (and 86 more)", with "did you mean X?" for a close name. */
function describeColumns(header: readonly string[], wanted: string): string {
	const named = header.filter((name) => name !== '');
	// `--features x,y` splits a column named "x,y" in two: say how to quote it.
	const split = named.find((name) => name.includes(',') && name.split(',').some((part) => part.trim() === wanted));
	const suggestion = split ?? closest(named, wanted);
	const quoting = split === undefined ? '' : ` (a name with a comma goes in double quotes: --features '"${split.replace(/"/g, '""')}"')`;
	const hint = suggestion === undefined ? '' : `did you mean ${quoteName(suggestion)}?${quoting} `;
	const listed = named.slice(0, LISTED_COLUMNS).map(quoteName).join(', ');
	const more = named.length > LISTED_COLUMNS ? `, … (${named.length - LISTED_COLUMNS} more)` : '';
	// A header made of numbers is a data row: the file has no header.
	const numeric = header.length > 0 && header.every((name) => /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(name));
	const noHeader = numeric ? ' (the first line looks like data: the file needs a header row naming the columns)' : '';
	return `${hint}the columns are ${listed}${more}${noHeader}`;
}

/** The header name equal ignoring case, or else the one nearest in edit distance (at most 2, and a third of the name), if unique. */
function closest(names: readonly string[], wanted: string): string | undefined {
	const lower = wanted.toLowerCase();
	const sameCase = names.filter((name) => name.toLowerCase() === lower);
	if (sameCase.length > 0) return sameCase.length === 1 ? sameCase[0] : undefined;
	const limit = Math.min(2, Math.floor(wanted.length / 3));
	let best: string | undefined;
	let bestDistance = Number.POSITIVE_INFINITY;
	let count = 0;
	for (const name of names) {
		const distance = editDistance(name.toLowerCase(), lower);
		if (distance < bestDistance) {
			best = name;
			bestDistance = distance;
			count = 1;
		} else if (distance === bestDistance) {
			count++;
		}
	}
	return bestDistance <= limit && count === 1 ? best : undefined;
}

/** Levenshtein distance (names are short, so the quadratic table is fine). */
function editDistance(a: string, b: string): number {
	let previous = Array.from({length: b.length + 1}, (_, j) => j);
	for (let i = 1; i <= a.length; i++) {
		const row = [i];
		for (let j = 1; j <= b.length; j++) {
			const substitute = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
			row.push(Math.min(substitute, (previous[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1));
		}
		previous = row;
	}
	return previous[b.length] ?? 0;
}
