/**
 * dist/ is esbuild's bundle (scripts/build.mjs). The headless path must stay free of React, Ink
 * and the live screen in the bundle too: the modules dist/cli.js loads before running (its
 * static imports, followed through the shared chunks) are read from esbuild's metafile.
 */
import {existsSync, readFileSync} from 'node:fs';
import {fileURLToPath} from 'node:url';
import {describe, expect, it} from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const META = `${ROOT}dist/meta.json`;

type Metafile = {
	outputs: Record<string, {imports: {path: string; kind: string; external?: boolean}[]; inputs: Record<string, unknown>}>;
};

/** The inputs of `entry` and of every output it imports statically. */
function staticClosure(meta: Metafile, entry: string): {outputs: Set<string>; inputs: Set<string>; dynamic: Set<string>} {
	const outputs = new Set<string>();
	const dynamic = new Set<string>();
	const visit = (output: string): void => {
		if (outputs.has(output)) return;
		outputs.add(output);
		for (const {path, kind, external} of meta.outputs[output]?.imports ?? []) {
			if (external === true) continue;
			if (kind === 'dynamic-import') dynamic.add(path);
			else visit(path);
		}
	};
	visit(entry);
	const inputs = new Set([...outputs].flatMap((output) => Object.keys(meta.outputs[output]?.inputs ?? {})));
	return {outputs, inputs, dynamic};
}

describe.skipIf(!existsSync(META))('the bundle in dist/', () => {
	const meta = JSON.parse(readFileSync(META, 'utf8')) as Metafile;

	it('loads neither React, Ink, asciichart nor src/ui before the headless race runs', () => {
		const {inputs, dynamic} = staticClosure(meta, 'dist/cli.js');
		const offending = [...inputs].filter((input) => /node_modules\/(react|react-reconciler|ink|yoga-layout|asciichart|scheduler)\//.test(input) || input.startsWith('src/ui/'));
		expect(offending).toEqual([]);
		expect(inputs).toContain('src/cli/headless.ts');
		// The live screen is one dynamically imported chunk that carries Ink and React.
		const live = [...dynamic].map((chunk) => staticClosure(meta, chunk).inputs).find((chunkInputs) => chunkInputs.has('src/cli/live.ts'));
		expect(live).toBeDefined();
		expect([...live!].some((input) => input.includes('node_modules/ink/'))).toBe(true);
	});

	it('is what package.json runs: the bin, npm start and the tests use dist/cli.js', () => {
		const pkg = JSON.parse(readFileSync(`${ROOT}package.json`, 'utf8')) as {bin: Record<string, string>; scripts: Record<string, string>};
		expect(pkg.bin['gdrace']).toBe('dist/cli.js');
		expect(pkg.scripts['start']).toContain('node dist/cli.js');
		expect(pkg.scripts['build']).toContain('scripts/build.mjs');
		expect(readFileSync(`${ROOT}dist/cli.js`, 'utf8').startsWith('#!/usr/bin/env node\n')).toBe(true);
	});
});
