import {existsSync, readFileSync, readdirSync} from 'node:fs';
import {dirname, join, relative} from 'node:path';
import {fileURLToPath} from 'node:url';
import {describe, expect, it} from 'vitest';

const SRC = fileURLToPath(new URL('../../src/', import.meta.url));

/** The static imports (`import … from`, `export … from`, bare `import '…'`) of a source file; dynamic `import()` excluded. */
function staticImports(file: string): string[] {
	const text = readFileSync(file, 'utf8');
	return [...text.matchAll(/^\s*(?:import|export)\s(?:[^'"]*?\sfrom\s)?['"]([^'"]+)['"]/gm)].map((match) => match[1] as string);
}

/** Every module the file loads before running, as source paths (relative) and package names. */
function closure(entry: string): {files: Set<string>; packages: Set<string>} {
	const files = new Set<string>();
	const packages = new Set<string>();
	const visit = (file: string): void => {
		if (files.has(file)) return;
		files.add(file);
		for (const specifier of staticImports(file)) {
			if (!specifier.startsWith('.')) {
				packages.add(specifier);
				continue;
			}
			const base = join(dirname(file), specifier).replace(/\.js$/, '');
			const source = [`${base}.ts`, `${base}.tsx`].find((candidate) => existsSync(candidate));
			if (source === undefined) throw new Error(`cannot resolve ${specifier} from ${file}`);
			visit(source);
		}
	};
	visit(entry);
	return {files: new Set([...files].map((file) => relative(SRC, file))), packages};
}

describe('the headless path', () => {
	it('never loads React, Ink or the live screen (it is imported dynamically)', () => {
		// The entry imports the command dynamically, after turning Node's compile cache on.
		expect(closure(join(SRC, 'cli.ts')).files).toEqual(new Set(['cli.ts']));
		expect(readFileSync(join(SRC, 'cli.ts'), 'utf8')).toContain("await import('./cli/main.js')");
		const {files, packages} = closure(join(SRC, 'cli', 'main.ts'));
		expect([...packages].filter((name) => /^(react|ink)(\/|$)|^ink-|asciichart/.test(name))).toEqual([]);
		expect([...files].filter((file) => file.startsWith('ui'))).toEqual([]);
		expect(files).toContain('cli/headless.ts');
		expect(readFileSync(join(SRC, 'cli', 'main.ts'), 'utf8')).toContain("await import('./live.js')");
		expect(readFileSync(join(SRC, 'cli', 'main.ts'), 'utf8')).toContain("await import('./render.js')");
	});
});

describe('the live session (src/ui)', () => {
	it('imports nothing from src/cli: the entry layer wires sessions to terminals and files', () => {
		const files = readdirSync(join(SRC, 'ui'), {recursive: true, encoding: 'utf8'}).filter((file) => /\.tsx?$/.test(file));
		expect(files.length).toBeGreaterThan(10);
		const reaching = files.filter((file) => /['"](?:\.\.\/)+cli\//.test(readFileSync(join(SRC, 'ui', file), 'utf8')));
		expect(reaching).toEqual([]);
	});
});
