import {defineConfig} from 'vitest/config';

// Timeouts for a loaded 2-core machine: a test that starts the CLI (Node loading Ink) or renders the
// live screen can take several seconds there. They catch hangs; no test measures speed (see test/bench).
export default defineConfig({
	test: {
		testTimeout: 30_000,
		hookTimeout: 60_000,
		globalSetup: ['test/global-setup.ts'],
	},
});
