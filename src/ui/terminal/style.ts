/**
 * Cell styles: what SGR sequences (`ESC[…m`) set, parsed from Ink's frames and interned into small
 * integers so that comparing two cells is comparing two integers, and the shortest SGR sequence
 * that turns one interned style into another.
 *
 * A color is encoded as one integer: 0 is the terminal's default, 1 + n is palette color n
 * (0–15 the sixteen named colors, 16–255 the 256-color cube and grays), 257 + 0xRRGGBB is a
 * truecolor. Attributes are bit flags.
 */

/** chalk's (and Ink's) sixteen color names, in palette order 0–15. */
export const NAMED_COLORS = [
	'black',
	'red',
	'green',
	'yellow',
	'blue',
	'magenta',
	'cyan',
	'white',
	'blackBright',
	'redBright',
	'greenBright',
	'yellowBright',
	'blueBright',
	'magentaBright',
	'cyanBright',
	'whiteBright',
] as const;

/** A color by name; `gray`/`grey` are chalk's aliases of `blackBright`. */
export type NamedColor = (typeof NAMED_COLORS)[number] | 'gray' | 'grey';

/** A color: a name, a 256-color palette index (0–255), or `#rrggbb`. */
export type Color = NamedColor | number | `#${string}`;

/** A cell's look, as a layer's palette gives it. Unset fields are off / the terminal's default. */
export type CellStyle = {
	readonly fg?: Color;
	readonly bg?: Color;
	readonly bold?: boolean;
	readonly dim?: boolean;
	readonly italic?: boolean;
	readonly underline?: boolean;
	readonly inverse?: boolean;
	readonly strikethrough?: boolean;
};

/** Attribute bits of an interned style. */
export const ATTR = {
	bold: 1,
	dim: 2,
	italic: 4,
	underline: 8,
	blink: 16,
	inverse: 32,
	hidden: 64,
	strikethrough: 128,
} as const;

/** The default style's id: no color, no attribute. */
export const DEFAULT_STYLE = 0;

/** Most styles a table holds (ids must fit a Uint16Array cell). */
export const MAX_STYLES = 0xffff;

/** The SGR code of each attribute bit that sets it (bits 0–7) and the one that clears it. */
const ATTR_ON = [1, 2, 3, 4, 5, 7, 8, 9] as const;
const ATTR_OFF = [22, 22, 23, 24, 25, 27, 28, 29] as const;

const RGB_BASE = 257;

/** Encodes a palette index (0–255) as a color. */
function paletteColor(index: number): number {
	return 1 + index;
}

/** Encodes a color given by name, palette index or `#rrggbb`; anything unrecognised is the default. */
export function encodeColor(color: Color | undefined): number {
	if (color === undefined) return 0;
	if (typeof color === 'number') {
		return Number.isInteger(color) && color >= 0 && color <= 255 ? paletteColor(color) : 0;
	}
	if (color.startsWith('#')) {
		const hex = color.length === 4 ? color.replace(/[0-9a-f]/gi, '$&$&').slice(1) : color.slice(1);
		return /^[0-9a-f]{6}$/i.test(hex) ? RGB_BASE + Number.parseInt(hex, 16) : 0;
	}
	if (color === 'gray' || color === 'grey') return paletteColor(8);
	const index = (NAMED_COLORS as readonly string[]).indexOf(color);
	return index < 0 ? 0 : paletteColor(index);
}

/** The SGR parameters that select an encoded color as foreground (base 30) or background (base 40). */
function colorParams(color: number, base: 30 | 40): string {
	if (color === 0) return String(base + 9);
	if (color < RGB_BASE) {
		const index = color - 1;
		if (index < 8) return String(base + index);
		if (index < 16) return String(base + 60 + index - 8);
		return `${base + 8};5;${index}`;
	}
	const rgb = color - RGB_BASE;
	return `${base + 8};2;${(rgb >> 16) & 255};${(rgb >> 8) & 255};${rgb & 255}`;
}

/** A palette color from its index's text, or −1 when it is not an index. */
function paletteIndex(text: string | undefined): number {
	const index = Number(text);
	return Number.isInteger(index) && index >= 0 && index <= 255 && text !== '' ? paletteColor(index) : -1;
}

/** A truecolor from its components' text, or −1 when one is not a byte. */
function rgbColor(r: string | undefined, g: string | undefined, b: string | undefined): number {
	const parts = [r, g, b].map((text) => (text === undefined || text === '' ? Number.NaN : Number(text)));
	if (!parts.every((v) => Number.isInteger(v) && v >= 0 && v <= 255)) return -1;
	return RGB_BASE + ((parts[0]! << 16) | (parts[1]! << 8) | parts[2]!);
}

/** Attributes after an SGR code in 1–29. */
function applyAttribute(attrs: number, code: number): number {
	switch (code) {
		case 1:
			return attrs | ATTR.bold;
		case 2:
			return attrs | ATTR.dim;
		case 3:
			return attrs | ATTR.italic;
		case 4:
		case 21:
			return attrs | ATTR.underline;
		case 5:
		case 6:
			return attrs | ATTR.blink;
		case 7:
			return attrs | ATTR.inverse;
		case 8:
			return attrs | ATTR.hidden;
		case 9:
			return attrs | ATTR.strikethrough;
		case 22:
			return attrs & ~(ATTR.bold | ATTR.dim);
		case 23:
			return attrs & ~ATTR.italic;
		case 24:
			return attrs & ~ATTR.underline;
		case 25:
			return attrs & ~ATTR.blink;
		case 27:
			return attrs & ~ATTR.inverse;
		case 28:
			return attrs & ~ATTR.hidden;
		case 29:
			return attrs & ~ATTR.strikethrough;
		default:
			return attrs;
	}
}

/** A decoded style; `fg`/`bg` are encoded colors. */
export type StyleParts = {
	readonly fg: number;
	readonly bg: number;
	readonly attrs: number;
};

/**
 * Interned styles. Id 0 is the default style. With `color: false` every color is dropped as the
 * style is interned (NO_COLOR), keeping the attributes, which NO_COLOR allows.
 */
export class StyleTable {
	/** Whether colors are kept. */
	readonly color: boolean;
	private readonly fgs: number[] = [0];
	private readonly bgs: number[] = [0];
	private readonly attrList: number[] = [0];
	private readonly ids = new Map<string, number>([['0,0,0', 0]]);
	private readonly sgrCache = new Map<string, number>();
	private readonly transitions = new Map<number, string>();

	/** An empty table (only the default style). @default color true */
	constructor(color = true) {
		this.color = color;
	}

	/** Styles interned, the default included. */
	get size(): number {
		return this.fgs.length;
	}

	/** The id of a style, interning it if new. When the table is full, the default style. */
	intern(fg: number, bg: number, attrs: number): number {
		if (!this.color) {
			fg = 0;
			bg = 0;
		}
		const key = `${fg},${bg},${attrs}`;
		const known = this.ids.get(key);
		if (known !== undefined) return known;
		if (this.fgs.length >= MAX_STYLES) return DEFAULT_STYLE;
		const id = this.fgs.length;
		this.fgs.push(fg);
		this.bgs.push(bg);
		this.attrList.push(attrs);
		this.ids.set(key, id);
		return id;
	}

	/** The id of a layer's palette entry. */
	internStyle(style: CellStyle): number {
		let attrs = 0;
		if (style.bold) attrs |= ATTR.bold;
		if (style.dim) attrs |= ATTR.dim;
		if (style.italic) attrs |= ATTR.italic;
		if (style.underline) attrs |= ATTR.underline;
		if (style.inverse) attrs |= ATTR.inverse;
		if (style.strikethrough) attrs |= ATTR.strikethrough;
		return this.intern(encodeColor(style.fg), encodeColor(style.bg), attrs);
	}

	/** A style's parts. */
	parts(id: number): StyleParts {
		return {fg: this.fgs[id] ?? 0, bg: this.bgs[id] ?? 0, attrs: this.attrList[id] ?? 0};
	}

	/**
	 * The style after an SGR sequence with parameters `params` (the text between `ESC[` and `m`)
	 * is applied to style `id`. Cached per (style, parameters): a frame repeats the same few.
	 */
	applySgr(id: number, params: string): number {
		const key = `${id}|${params}`;
		const cached = this.sgrCache.get(key);
		if (cached !== undefined) return cached;
		const next = this.computeSgr(id, params);
		// Bounded: the cache only saves work, so it is simply dropped when it grows large.
		if (this.sgrCache.size >= 4096) this.sgrCache.clear();
		this.sgrCache.set(key, next);
		return next;
	}

	/**
	 * The shortest SGR sequence that turns the terminal's pen from style `from` into style `to`
	 * (empty when they are equal). `from` −1 means the pen is unknown: a full sequence starting
	 * with a reset.
	 */
	transition(from: number, to: number): string {
		if (from === to) return '';
		const key = from * 0x10000 + to;
		let sequence = this.transitions.get(key);
		if (sequence === undefined) {
			sequence = this.computeTransition(from, to);
			if (this.transitions.size >= 4096) this.transitions.clear();
			this.transitions.set(key, sequence);
		}
		return sequence;
	}

	private computeSgr(id: number, params: string): number {
		let fg = this.fgs[id] ?? 0;
		let bg = this.bgs[id] ?? 0;
		let attrs = this.attrList[id] ?? 0;
		const groups = params.split(';');
		for (let g = 0; g < groups.length; g++) {
			const group = groups[g]!;
			let code: number;
			let color = -1;
			if (group.includes(':')) {
				// ITU T.416 sub-parameters travel inside one parameter: `38:5:n`, `38:2:cs:r:g:b`
				// (or `38:2:r:g:b` without the color space), `4:3` (an underline style).
				const sub = group.split(':');
				code = Number(sub[0] || 0);
				if (code === 38 || code === 48 || code === 58) {
					const mode = Number(sub[1]);
					if (mode === 5) color = paletteIndex(sub[2]);
					else if (mode === 2) color = sub.length >= 6 ? rgbColor(sub[3], sub[4], sub[5]) : rgbColor(sub[2], sub[3], sub[4]);
				} else if (code === 4) {
					code = Number(sub[1] || 0) === 0 ? 24 : 4;
				}
			} else {
				code = group === '' ? 0 : Number(group);
				if (code === 38 || code === 48 || code === 58) {
					// The semicolon form spends the following parameters on the color.
					const mode = Number(groups[g + 1]);
					if (mode === 5) {
						color = paletteIndex(groups[g + 2]);
						g += 2;
					} else if (mode === 2) {
						color = rgbColor(groups[g + 2], groups[g + 3], groups[g + 4]);
						g += 4;
					} else {
						g += 1;
					}
				}
			}
			if (code === 38 || code === 48 || code === 58) {
				// 58 is the underline color, which gdrace does not track.
				if (color >= 0 && code === 38) fg = color;
				if (color >= 0 && code === 48) bg = color;
			} else if (code === 0) {
				fg = 0;
				bg = 0;
				attrs = 0;
			} else if (code >= 30 && code <= 37) {
				fg = paletteColor(code - 30);
			} else if (code >= 40 && code <= 47) {
				bg = paletteColor(code - 40);
			} else if (code >= 90 && code <= 97) {
				fg = paletteColor(code - 90 + 8);
			} else if (code >= 100 && code <= 107) {
				bg = paletteColor(code - 100 + 8);
			} else if (code === 39) {
				fg = 0;
			} else if (code === 49) {
				bg = 0;
			} else if (code >= 1 && code <= 29) {
				attrs = applyAttribute(attrs, code);
			}
			// Anything else (fonts, overline, frames, NaN) changes nothing gdrace draws.
		}
		return this.intern(fg, bg, attrs);
	}

	private computeTransition(from: number, to: number): string {
		const target = this.parts(to);
		const full: string[] = ['0'];
		for (let bit = 0; bit < 8; bit++) {
			if (target.attrs & (1 << bit)) full.push(String(ATTR_ON[bit]));
		}
		if (target.fg !== 0) full.push(colorParams(target.fg, 30));
		if (target.bg !== 0) full.push(colorParams(target.bg, 40));
		const fullSequence = to === DEFAULT_STYLE ? '\u001B[0m' : `\u001B[${full.join(';')}m`;
		if (from < 0) return fullSequence;

		const source = this.parts(from);
		const delta: string[] = [];
		const boldDim = ATTR.bold | ATTR.dim;
		let attrsFrom = source.attrs;
		// One code (22) clears both bold and dim: clear both, then set again what stays.
		if (attrsFrom & boldDim & ~target.attrs) {
			delta.push('22');
			attrsFrom &= ~boldDim;
		}
		for (let bit = 0; bit < 8; bit++) {
			const mask = 1 << bit;
			const was = (attrsFrom & mask) !== 0;
			const is = (target.attrs & mask) !== 0;
			if (is && !was) delta.push(String(ATTR_ON[bit]));
			else if (was && !is) delta.push(String(ATTR_OFF[bit]));
		}
		if (source.fg !== target.fg) delta.push(colorParams(target.fg, 30));
		if (source.bg !== target.bg) delta.push(colorParams(target.bg, 40));
		const deltaSequence = `\u001B[${delta.join(';')}m`;
		return deltaSequence.length < fullSequence.length ? deltaSequence : fullSequence;
	}
}
