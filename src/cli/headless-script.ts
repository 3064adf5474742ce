/**
 * The entry of dist/headless.cjs, the headless modes as one script for the fast start (see
 * src/cli.ts and src/build/build.mjs): the command line and the headless race, without the
 * live screen, `--render` or `serve`, which `runHeadlessOnly` leaves to the full command.
 */
export {runHeadlessOnly} from './main.js';
