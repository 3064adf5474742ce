/**
 * Loads the yargs parser (args.ts) for a command line that `quickParse` leaves to it: dynamically,
 * so that a start reading a plain command line neither parses nor runs yargs's code. (The
 * headless script, dist/headless.cjs, takes it statically instead, src/build/build.mjs: a dynamic
 * import there makes esbuild wrap every module the two share, the engine's too, in lazily run
 * closures, and the race ran about a fifth slower.)
 */
export function loadArgs(): Promise<typeof import('./args.js')> {
	return import('./args.js');
}
