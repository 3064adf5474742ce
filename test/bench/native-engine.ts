/**
 * Loads the engine as users run it: src/engine compiled to plain JavaScript (as `tsc` builds
 * dist/) and imported by Node itself. Benchmarks need this because Vitest runs project files
 * through its SSR module transform, which turns every call across modules into a getter call on
 * the module's exports object: measured on the book race, 39.8 ms under the transform against
 * 31.0 ms natively for the very same code.
 */
import {mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {dirname, join, relative} from 'node:path';
import {fileURLToPath, pathToFileURL} from 'node:url';
import ts from 'typescript';

type Engine = typeof import('../../src/engine/index.js');

const SOURCE = fileURLToPath(new URL('../../src/engine/', import.meta.url));

function sourceFiles(directory: string): string[] {
	return readdirSync(directory, {withFileTypes: true}).flatMap((entry) => {
		const path = join(directory, entry.name);
		return entry.isDirectory() ? sourceFiles(path) : entry.name.endsWith('.ts') ? [path] : [];
	});
}

let engine: Promise<Engine> | undefined;

/** The engine's public surface (src/engine/index.ts), compiled and loaded natively. */
export function loadNativeEngine(): Promise<Engine> {
	engine ??= (async () => {
		const out = mkdtempSync(join(tmpdir(), 'gdrace-engine-'));
		for (const file of sourceFiles(SOURCE)) {
			// The same target and class-field semantics as the project's tsconfig (ES2023).
			const {outputText} = ts.transpileModule(readFileSync(file, 'utf8'), {
				compilerOptions: {target: ts.ScriptTarget.ES2023, module: ts.ModuleKind.ESNext, verbatimModuleSyntax: true},
				fileName: file,
			});
			const target = join(out, relative(SOURCE, file)).replace(/\.ts$/, '.js');
			mkdirSync(dirname(target), {recursive: true});
			writeFileSync(target, outputText);
		}
		writeFileSync(join(out, 'package.json'), '{"type": "module"}');
		// A data: URL re-export is imported by Node, not by Vitest's module runner.
		const url = pathToFileURL(join(out, 'index.js')).href;
		try {
			return (await import(/* @vite-ignore */ `data:text/javascript,export * from ${JSON.stringify(url)};`)) as Engine;
		} finally {
			// Loaded (the whole module graph is linked by now): the files are no longer needed.
			rmSync(out, {recursive: true, force: true});
		}
	})();
	return engine;
}
