/**
 * CONTRACT STUB (the live screen work replaces it): runs the Ink race screen for a validated
 * config and resolves to the process exit code.
 */
import type {Config} from '../cli/config.js';

export async function runLive(_config: Config): Promise<number> {
	throw new Error('the live screen is not implemented yet');
}
