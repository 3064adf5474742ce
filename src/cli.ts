#!/usr/bin/env node
/** The `gdrace` command: see `cli/main.ts` for the flow and `gdrace --help` for the flags. */
import module from 'node:module';
import {run} from './cli/main.js';

// Node 22.1 and later keep V8's compiled code for modules on disk (in the temporary directory;
// NODE_DISABLE_COMPILE_CACHE=1 turns it off): the live screen's chunk (React, Ink, Yoga) then
// loads without being compiled again at every start. Node 20 has no such cache.
(module as {enableCompileCache?: () => unknown}).enableCompileCache?.();
run(process.argv.slice(2));
