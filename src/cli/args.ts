/**
 * The first layer of the command line: yargs for syntax (known flags, `--help` groups,
 * `--version`), giving strings that `config.ts` validates. A command line written only in the
 * plain forms is read without yargs (`quickParse` in flags.ts, which the entry point calls first,
 * loading this module only when it gives up), to the same result. Nothing here prints or exits:
 * `parseArgs` returns what to do, so that the entry point owns stdout, stderr and exit codes.
 */
import {readFileSync} from 'node:fs';
import yargs from 'yargs';
import {packageFile} from '../package-root.js';
import {oneLine} from './errors.js';
import {FLAG_SPECS, prepareTokens, plainParse, toArgs} from './flags.js';
import type {Flag, FlagSpec, ParseOptions, ParseResult} from './flags.js';
import {SERVE_FLAGS} from './serve-args.js';

export {DEMO_ARGS, FLAG_SPECS, SWITCHES, plainParse, quickParse, takeLrFlags} from './flags.js';
export type {Args, Flag, ParseOptions, ParseResult} from './flags.js';

/** The version in the package's package.json. */
export function packageVersion(): string {
	try {
		const text = readFileSync(packageFile('package.json'), 'utf8');
		const version: unknown = (JSON.parse(text) as {version?: unknown}).version;
		return typeof version === 'string' ? version : 'unknown';
	} catch {
		return 'unknown';
	}
}

/** The yargs parser with every flag of `FLAG_SPECS`, its group and help text. */
function parser(argv: readonly string[], width: number, version: string) {
	let instance = yargs([...argv])
		.scriptName('gdrace')
		.usage(
			'Usage: gdrace [options]\n\n' +
				'Race gradient-descent optimizers fitting the same linear regression: a live screen in a terminal, ' +
				'or a summary (--plain, --json, --log) when stdout is not a terminal.',
		)
		// Dot notation off: `--lr 0.1 --lr.sgd 0.005` would otherwise turn `lr` into an object
		// and drop the 0.1. With it off, `lr.sgd` is a flag of its own (taken out before yargs
		// parses: `takeLrFlags`) and an unknown `--lr.foo` is an unknown flag for strict mode.
		.parserConfiguration({
			'dot-notation': false,
			'camel-case-expansion': false,
			'duplicate-arguments-array': false,
			'greedy-arrays': false,
			'short-option-groups': false,
		});
	for (const [flag, spec] of Object.entries(FLAG_SPECS) as [Flag, FlagSpec][]) {
		instance = instance.option(flag, {
			type: spec.kind === 'value' ? 'string' : 'boolean',
			group: spec.group,
			describe: spec.describe,
			...(spec.defaultDescription === undefined ? {} : {defaultDescription: spec.defaultDescription}),
		});
	}
	return (
		instance
			.help('help')
			.alias('help', 'h')
			.version('version', 'Show the version number', version)
			.group(['help', 'version'], 'Options:')
			.epilog(
				'Exit codes: 0 done (a diverged racer is a result), 1 bad data, export or stdout, 2 bad flag, ' +
					'129/130/143 stopped by SIGHUP/SIGINT/SIGTERM.\n' +
					'Files: the headless modes keep compiled code in $XDG_CACHE_HOME/gdrace (else ~/.cache/gdrace) ' +
					'to start faster; GDRACE_NO_CACHE=1 runs without it.\n' +
					'Examples:\n' +
					'  gdrace                                       the study note\'s race, live\n' +
					'  gdrace --plain --clock samples               a fair-compute race, summary only\n' +
					'  gdrace --log seed --optimizers gd            the note\'s own log, to diff\n' +
					'  gdrace --optimizers gd,momentum,adam:lr=0.1  the note\'s GD against momentum and Adam\n' +
					'  gdrace --json --export history.csv           JSON summary and the full history\n' +
					'  gdrace --demo --cast demo.cast --render      a README animation, rendered in seconds\n' +
					'  gdrace serve                                 the race over SSH: ssh -p 2222 127.0.0.1 (gdrace serve --help)',
			)
			.wrap(width)
			.strict()
			.exitProcess(false)
			// Throw instead of letting yargs print its whole help and exit: `parseArgs` turns this into one line.
			.fail((message: string | null, error: Error | null) => {
				throw new YargsFailure(message ?? error?.message ?? 'invalid arguments');
			})
	);
}

class YargsFailure extends Error {}

/** Parses a command line (without `node` and the script). Never prints, never exits. */
export function parseArgs(given: readonly string[], options: ParseOptions = {}): ParseResult {
	const taken = prepareTokens(given);
	if ('message' in taken) return {kind: 'error', message: taken.message};
	let parsed = options.yargsOnly === true ? undefined : plainParse(taken.rest);
	if (parsed === undefined) {
		let output = '';
		try {
			parsed = parser(taken.rest, options.width ?? 100, options.version ?? packageVersion()).parse([...taken.rest], {}, (_error: unknown, _argv: unknown, text: string) => {
				output = text;
			}) as Record<string, unknown>;
		} catch (error) {
			if (error instanceof YargsFailure) return {kind: 'error', message: explainFailure(error.message, taken.rest, options.serve === true)};
			throw error;
		}
		if (parsed.help === true) return {kind: 'help', text: output};
		if (parsed.version === true) return {kind: 'version', text: output};
	}
	return {kind: 'run', args: toArgs(parsed, taken.lr)};
}

/** Turns a yargs failure message into one line that says what is wrong and how to fix it. */
function explainFailure(message: string, argv: readonly string[], serve: boolean): string {
	const command = serve ? 'gdrace serve' : 'gdrace';
	const unknown = /^Unknown arguments?: (.*)$/s.exec(message);
	if (unknown !== null) {
		const first = (unknown[1] ?? '').split(', ')[0] ?? '';
		const written = argv.find((token) => token === first || token.replace(/^--?(?:no-)?/, '').split('=')[0] === first);
		if (written === '-' || first === '-') {
			return 'unexpected argument "-"; to read the CSV from stdin write --data - (e.g. cat houses.csv | gdrace --data - --plain)';
		}
		if (written !== undefined && !written.startsWith('-')) {
			const hint = /[./\\]/.test(written) ? `; to race on a file use --data ${oneLine(written)}` : '';
			return `unexpected argument ${JSON.stringify(written)}: ${command} takes only flags${hint} (see ${command} --help)`;
		}
		const flag = written === undefined ? `--${first}` : written.split('=')[0] ?? written;
		if (!serve && (SERVE_FLAGS as readonly string[]).includes(first)) {
			// The flag as given, with its value if it has one: what to write after `gdrace serve`.
			const at = written === undefined ? -1 : argv.indexOf(written);
			const next = at === -1 ? undefined : argv[at + 1];
			const given = written !== undefined && !written.includes('=') && first !== 'shared' && next !== undefined && !next.startsWith('-') ? `${written} ${next}` : written ?? flag;
			return `${JSON.stringify(flag)} is a flag of gdrace serve (the race over SSH), not of a race; write gdrace serve ${oneLine(given)} (see gdrace serve --help)`;
		}
		const close = closestFlag(first, serve ? SERVE_FLAGS : []);
		let hint: string;
		if (close === undefined) hint = serve ? 'see gdrace serve --help for its flags and gdrace --help for the race flags' : 'see gdrace --help for the flags';
		else hint = `did you mean --${close}? (see ${(SERVE_FLAGS as readonly string[]).includes(close) ? 'gdrace serve' : 'gdrace'} --help)`;
		return `unknown flag ${JSON.stringify(flag)}; ${hint}`;
	}
	return `${oneLine(message.replace(/\s+/g, ' ').trim())} (see ${command} --help)`;
}

/** Every visible long flag, for "did you mean" suggestions (`--no-color` too: it is how colors go off). */
const FLAGS: readonly string[] = [...Object.keys(FLAG_SPECS), 'no-color', 'help', 'version'];

/** The flag within edit distance 2 of `name` (or that starts with it, for abbreviations), if any; `extra` flags count too. */
export function closestFlag(name: string, extra: readonly string[] = []): string | undefined {
	const wanted = name.toLowerCase().replace(/_/g, '-');
	let best: string | undefined;
	let bestDistance = 3;
	for (const flag of [...FLAGS, ...extra]) {
		const distance = wanted.length >= 3 && flag.startsWith(wanted) ? 1 : editDistance(wanted, flag);
		if (distance < bestDistance) {
			best = flag;
			bestDistance = distance;
		}
	}
	return best;
}

/**
 * Edit distance counting a swap of two neighbouring letters as one edit, as a typo is (optimal
 * string alignment: `--hots` is one edit from `--host`, two from `--cols`).
 */
function editDistance(a: string, b: string): number {
	let before: number[] = [];
	let previous = Array.from({length: b.length + 1}, (_, j) => j);
	for (let i = 1; i <= a.length; i++) {
		const row = [i];
		for (let j = 1; j <= b.length; j++) {
			const cost = a[i - 1] === b[j - 1] ? 0 : 1;
			let distance = Math.min((previous[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + cost);
			if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) distance = Math.min(distance, (before[j - 2] ?? 0) + 1);
			row.push(distance);
		}
		before = previous;
		previous = row;
	}
	return previous[b.length] ?? 0;
}
