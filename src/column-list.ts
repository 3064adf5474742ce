/**
 * Column names in a list as a CSV record writes them (and `--features` reads them): a name that
 * holds a comma or a double quote goes in double quotes with its quotes doubled, so that
 * `"x,y", b` shows that `x,y` is one name. No imports: the headless summary and the screen share it.
 */

/** `RM` as it is; `x,y` → `"x,y"`; `say "hi"` → `"say ""hi"""`. */
export function csvName(name: string): string {
	return /[",]/.test(name) ? `"${name.replace(/"/g, '""')}"` : name;
}

/** The names joined by ', ', each quoted as `csvName` does: `"x,y", b`. */
export function nameListText(names: readonly string[]): string {
	return names.map(csvName).join(', ');
}
