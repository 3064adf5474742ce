/**
 * The suite's own cache directory: the headless runs it starts keep their V8 code cache under
 * $XDG_CACHE_HOME/gdrace (src/cli.ts), here instead of the user's ~/.cache. Removed at the end.
 */
import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';

export default function setup(): () => void {
	const dir = mkdtempSync(join(tmpdir(), 'gdrace-test-cache-'));
	process.env['XDG_CACHE_HOME'] = dir;
	return () => rmSync(dir, {recursive: true, force: true});
}
