/**
 * Key bindings as data: one map from action to keys and help text. The footer and the help
 * overlay are generated from it, and `resolveKey` turns what Ink's `useInput` reports into an
 * action, so every binding is documented and tested in one place.
 */
import type {ChartView} from './ui-state.js';

export const ACTIONS = [
	'pause',
	'step',
	'faster',
	'slower',
	'clock',
	'log',
	'gap',
	'map',
	'toggle',
	'restart',
	'lr',
	'reclock',
	'smooth',
	'replay',
	'help',
	'quit',
] as const;
export type Action = (typeof ACTIONS)[number];

export type Binding = {
	/** How the keys are written in the footer and the help overlay. */
	readonly label: string;
	/** How the footer writes the keys, when it names fewer of them than the help. @default label */
	readonly footerLabel?: string;
	/** The characters that trigger the action (as Ink's `useInput` reports them). */
	readonly keys: readonly string[];
	/** Short text for the footer. */
	readonly short: string;
	/** One line for the help overlay. */
	readonly help: string;
	/** Whether the footer shows it (the help overlay shows every binding). */
	readonly footer: boolean;
	/** Shown in the footer at every width (the others give way, in reverse key-map order). @default false */
	readonly pinned?: boolean;
	/** Whether the key does something in this state; the footer offers it only then. @default always */
	readonly active?: (context: KeyContext) => boolean;
};

/** What decides which keys do something now. */
export type KeyContext = {
	readonly paused: boolean;
	/** Every racer is done or diverged. */
	readonly over: boolean;
	readonly view: ChartView;
	/** The map stands in the chart's place: the chart's own keys (`l`, `g`) change nothing on screen. @default false */
	readonly chartHidden?: boolean;
};

/** A race running in the linear view. */
export const RUNNING: KeyContext = {paused: false, over: false, view: 'linear'};

/** Keys that move the race do nothing once it is over. */
const racing = (context: KeyContext): boolean => !context.over;

/** Every action must have a binding with help: the compiler enforces it through the Record. */
export const KEYMAP: Readonly<Record<Action, Binding>> = {
	pause: {label: 'space', keys: [' '], short: 'pause', help: 'pause or resume the race', footer: true, active: racing},
	step: {label: 's', keys: ['s'], short: 'step', help: 'advance one clock unit while paused', footer: true, active: racing},
	faster: {label: '+', keys: ['+', '='], short: 'faster', help: 'double the speed', footer: true, active: racing},
	slower: {label: '-', keys: ['-', '_'], short: 'slower', help: 'halve the speed', footer: true, active: racing},
	clock: {
		label: 'c',
		keys: ['c'],
		short: 'clock',
		help: 'measure in iterations → samples → time',
		footer: true,
	},
	// The gap view is always on a log scale: there `l` would flip a setting nobody sees.
	log: {
		label: 'l',
		keys: ['l'],
		short: 'log',
		help: 'log scale for the loss axis (not in the gap view, which is always log)',
		footer: true,
		active: (context) => context.view !== 'gap' && context.chartHidden !== true,
	},
	gap: {
		label: 'g',
		keys: ['g'],
		short: 'gap',
		help: 'plot the gap to the optimum, loss − L*, on a log scale',
		footer: true,
		active: (context) => context.chartHidden !== true,
	},
	// The footer offers `m` alone: `f` refits a map that is already shown.
	map: {label: 'm/f', footerLabel: 'm', keys: ['m', 'f'], short: 'map', help: 'the map in place of the chart; f refits it', footer: true},
	// Racers past the ninth have no digit: `v` reaches every racer through the selection (↑/↓).
	toggle: {
		label: '1-9 v',
		footerLabel: '1-9',
		keys: ['1', '2', '3', '4', '5', '6', '7', '8', '9', 'v'],
		short: 'show/hide',
		help: 'show or hide racer 1…9; v the picked one',
		footer: true,
	},
	restart: {label: 'r', keys: ['r'], short: 'restart', help: 'restart the race with a new seed (seed + 1)', footer: true},
	// ↑/↓ are not characters: `resolveKeys` reads them from Ink's key flags.
	lr: {label: '↑↓[]', keys: ['[', ']'], short: 'lr', help: '↑/↓ pick a racer; [ ] halve/double its lr', footer: true, active: racing},
	reclock: {
		label: 'k',
		keys: ['k'],
		short: 'new clock',
		help: 'restart under the next clock, same seed',
		footer: false,
	},
	smooth: {label: 'e', keys: ['e'], short: 'smooth', help: 'smooth curves: off, 0.6, 0.9, 0.99', footer: false},
	replay: {
		label: '←/→',
		keys: ['left', 'right', 'pageup', 'pagedown', 'home', 'end'],
		short: 'replay',
		help: 'replay (paused or over); PgUp/Dn, Home, End',
		footer: false,
		active: (context) => context.paused || context.over,
	},
	help: {label: '?', keys: ['?', 'h'], short: 'help', help: 'show or hide this help', footer: true, pinned: true},
	quit: {
		label: 'q',
		keys: ['q', 'ctrl+c'],
		short: 'quit',
		help: 'quit (Ctrl+C too); the summary stays in the scrollback',
		footer: true,
		pinned: true,
	},
};

/** How a replay key moves the cursor: a step or ten back or forth, to the start, or back to live. */
export type ReplayMove = 'back' | 'forward' | 'back-far' | 'forward-far' | 'start' | 'end';

/**
 * What a key press asks for. `index` is the 0-based racer for `toggle` (or the selected one); `move` the replay key's;
 * `refit` says `f` (fit the map again) rather than `m` (show or hide it); `delta` moves the
 * selection (↑ −1, ↓ +1); `factor` multiplies the selected racer's learning rate (`]` 2, `[` ½).
 */
export type Command =
	| {readonly action: Exclude<Action, 'toggle' | 'replay' | 'map' | 'lr'>}
	/** `index` is the racer's, or 'selected' for the racer ↑/↓ picked (`v`). */
	| {readonly action: 'toggle'; readonly index: number | 'selected'}
	| {readonly action: 'map'; readonly refit: boolean}
	| {readonly action: 'replay'; readonly move: ReplayMove}
	| {readonly action: 'select'; readonly delta: -1 | 1}
	/** Ctrl+Z: suspend to the shell (only where the session can: a local terminal). */
	| {readonly action: 'suspend'}
	| {readonly action: 'lr'; readonly factor: 0.5 | 2};

/** The subset of Ink's `Key` that matters here. */
export type KeyInfo = {
	readonly ctrl?: boolean;
	readonly escape?: boolean;
	readonly upArrow?: boolean;
	readonly downArrow?: boolean;
	readonly shift?: boolean;
	readonly leftArrow?: boolean;
	readonly rightArrow?: boolean;
	readonly pageUp?: boolean;
	readonly pageDown?: boolean;
	readonly home?: boolean;
	readonly end?: boolean;
};

/** The replay keys' moves (Ink reports these keys as flags, not characters). */
function replayMove(key: KeyInfo): ReplayMove | undefined {
	if (key.leftArrow) return key.shift ? 'back-far' : 'back';
	if (key.rightArrow) return key.shift ? 'forward-far' : 'forward';
	if (key.pageUp) return 'back-far';
	if (key.pageDown) return 'forward-far';
	if (key.home) return 'start';
	if (key.end) return 'end';
	return undefined;
}

const byKey = new Map<string, Action>();
for (const action of ACTIONS) {
	for (const key of KEYMAP[action].keys) {
		byKey.set(key, action);
	}
}

/** Whether `action`'s key does something in `context`. */
export function isActive(action: Action, context: KeyContext): boolean {
	return KEYMAP[action].active?.(context) ?? true;
}

/**
 * Turns one `useInput` callback into commands. Ink hands a pasted or fast-typed run of keys over
 * as one string (`'++'`), so each character counts. An uppercase letter does what its lowercase
 * does (Caps Lock), unless it is bound itself.
 */
export function resolveKeys(input: string, key: KeyInfo = {}): Command[] {
	if (key.ctrl) {
		const letter = input.toLowerCase();
		return letter === 'c' ? [{action: 'quit'}] : letter === 'z' ? [{action: 'suspend'}] : [];
	}

	const move = replayMove(key);
	if (move !== undefined) {
		return [{action: 'replay', move}];
	}

	if (key.escape) {
		return [];
	}

	if (key.upArrow || key.downArrow) {
		return [{action: 'select', delta: key.upArrow ? -1 : 1}];
	}

	const commands: Command[] = [];
	for (const character of input) {
		const action = byKey.get(character) ?? byKey.get(character.toLowerCase());
		if (action === undefined || action === 'replay') {
			continue;
		}

		if (action === 'toggle') commands.push({action, index: character.toLowerCase() === 'v' ? 'selected' : Number(character) - 1});
		else if (action === 'map') commands.push({action, refit: character.toLowerCase() === 'f'});
		else if (action === 'lr') commands.push({action, factor: character === ']' ? 2 : 0.5});
		else commands.push({action});
	}

	return commands;
}
