#!/usr/bin/env node
/** The `gdrace` command: see `cli/main.ts` for the flow and `gdrace --help` for the flags. */
import module from 'node:module';

// Node 22.1 and later keep V8's compiled code for modules on disk (in the temporary directory;
// NODE_DISABLE_COMPILE_CACHE=1 turns it off), for modules loaded after this call: so everything
// else, the headless path included, is imported dynamically below, not statically (static imports
// are loaded before this line runs). Node 20 has no such cache.
(module as {enableCompileCache?: () => unknown}).enableCompileCache?.();

let command: typeof import('./cli/main.js');
try {
	command = await import('./cli/main.js');
} catch (error) {
	// A broken install (a chunk of dist/ missing or unreadable): one line, not Node's stack trace.
	const message = error instanceof Error ? error.message : String(error);
	process.stderr.write(`gdrace: internal error: cannot load gdrace's code (${message.replace(/\s+/g, ' ').trim()}); reinstall it\n`);
	process.exit(70);
}
command.run(process.argv.slice(2));
