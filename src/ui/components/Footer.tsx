import {Box, Text} from 'ink';
import {ACTIONS, isActive, KEYMAP, RUNNING} from '../keymap.js';
import type {Action, KeyContext} from '../keymap.js';

export type FooterProps = {
	readonly width: number;
	/** Whether keys are read: without (no terminal to read them from) the footer says so instead. @default true */
	readonly keys?: boolean;
	/** The race's state: the footer offers only keys that do something in it. @default RUNNING */
	readonly context?: KeyContext;
};

/** The footer without keys: stdin is not a terminal, and there is no controlling terminal to read them from either. */
export const NO_KEYS_TEXT = 'keys off: no terminal to read them from · a signal stops the race';

const SEPARATOR = '  ';

function item(action: Action): string {
	const binding = KEYMAP[action];
	return `${binding.footerLabel ?? binding.label} ${binding.short}`;
}

/**
 * The keys that do something now, generated from the key map. The pinned ones (`? help`,
 * `q quit`) come last and are always shown; the others are offered in key-map order as far as
 * the width allows (a prefix: a wider terminal only adds keys), and the rest is left to `?`.
 */
export function footerText(width: number, context: KeyContext = RUNNING): string {
	const offered = ACTIONS.filter((action) => KEYMAP[action].footer && isActive(action, context));
	const pinned = offered.filter((action) => KEYMAP[action].pinned === true).map(item);
	const others = offered.filter((action) => KEYMAP[action].pinned !== true).map(item);
	let used = pinned.join(SEPARATOR).length;
	const shown: string[] = [];
	for (const text of others) {
		const next = used + (used === 0 ? 0 : SEPARATOR.length) + text.length;
		if (next > width) break;
		shown.push(text);
		used = next;
	}

	return [...shown, ...pinned].join(SEPARATOR);
}

/** One line of key hints under the table. */
export default function Footer({width, keys = true, context = RUNNING}: FooterProps) {
	return (
		<Box width={width} height={1}>
			<Text dimColor wrap="truncate">
				{keys ? footerText(width, context) : NO_KEYS_TEXT}
			</Text>
		</Box>
	);
}
