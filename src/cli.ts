#!/usr/bin/env node
/** The `gdrace` command: see `cli/main.ts` for the flow and `gdrace --help` for the flags. */
import module from 'node:module';

// Node 22.1 and later keep V8's compiled code for modules on disk (in the temporary directory;
// NODE_DISABLE_COMPILE_CACHE=1 turns it off), for modules loaded after this call: so everything
// else, the headless path included, is imported dynamically below, not statically (static imports
// are loaded before this line runs). Node 20 has no such cache.
(module as {enableCompileCache?: () => unknown}).enableCompileCache?.();
const {run} = await import('./cli/main.js');
run(process.argv.slice(2));
