/**
 * Where the package's own files are (`package.json`, `data/`). The code runs from `src/` (tests),
 * from `dist/` and from `dist/chunks/` (the bundle's shared chunks), so no fixed number of `../`
 * fits every module: the root is the nearest directory above the running module that holds a
 * `package.json`.
 */
import {existsSync} from 'node:fs';
import {dirname, join, parse} from 'node:path';
import {fileURLToPath} from 'node:url';

/** The nearest directory at or above `moduleUrl`'s directory that holds a package.json. */
export function packageRoot(moduleUrl: string = import.meta.url): string {
	let directory = dirname(fileURLToPath(moduleUrl));
	const top = parse(directory).root;
	for (;;) {
		if (existsSync(join(directory, 'package.json'))) return directory;
		if (directory === top) return dirname(fileURLToPath(moduleUrl));
		directory = dirname(directory);
	}
}

/** A file of the package, by its path from the package root. */
export function packageFile(...parts: readonly string[]): string {
	return join(packageRoot(), ...parts);
}
