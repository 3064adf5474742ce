#!/usr/bin/env node
/** The `gdrace` command: see `cli/main.ts` for the flow and `gdrace --help` for the flags. */
import {run} from './cli/main.js';

run(process.argv.slice(2));
