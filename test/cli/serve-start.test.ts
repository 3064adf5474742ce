/**
 * What `gdrace serve` needs to start, a host key, the authorized keys and a port: every file a
 * user may point the flags at by mistake, and a port it cannot have, gets one line saying what is
 * wrong and what to do instead (never an internal error), and exit code 1.
 */
import {spawn, spawnSync} from 'node:child_process';
import {existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {fileURLToPath} from 'node:url';
import ssh2 from 'ssh2';
import {afterAll, describe, expect, it} from 'vitest';
import {ServeError, loadAuthorizedKeys, loadHostKey} from '../../src/cli/serve.js';

const CLI = fileURLToPath(new URL('../../dist/cli.cjs', import.meta.url));
const scratch = mkdtempSync(join(tmpdir(), 'gdrace-keys-'));
afterAll(() => rmSync(scratch, {recursive: true, force: true}));

const pair = ssh2.utils.generateKeyPairSync('ed25519');
const privatePath = join(scratch, 'key');
const publicPath = join(scratch, 'key.pub');
writeFileSync(privatePath, pair.private, {mode: 0o600});
writeFileSync(publicPath, `${pair.public}\n`);

/** The ServeError's message of `run`, or 'no error'. */
function failure(run: () => unknown): string {
	try {
		run();
		return 'no error';
	} catch (error) {
		expect(error).toBeInstanceOf(ServeError);
		return (error as Error).message;
	}
}

describe('the host key', () => {
	it('is read when it exists, and made (mode 600) where a given path names no file', () => {
		expect(loadHostKey(privatePath, true)).toMatchObject({created: false, text: pair.private});
		const made = join(scratch, 'made_key');
		expect(loadHostKey(made, true).created).toBe(true);
		expect(statSync(made).mode & 0o777).toBe(0o600);
		expect(loadHostKey(made, true).created).toBe(false);
	});

	it("creates the default path's directory (mode 700), but not a given path's", () => {
		const defaultPath = join(scratch, 'config', 'gdrace', 'host_ed25519');
		expect(loadHostKey(defaultPath).created).toBe(true);
		expect(statSync(join(scratch, 'config', 'gdrace')).mode & 0o777).toBe(0o700);
		const typo = join(scratch, 'no-such-dir', 'key');
		expect(failure(() => loadHostKey(typo, true))).toBe(`--host-key ${JSON.stringify(typo)}: the directory ${JSON.stringify(join(scratch, 'no-such-dir'))} does not exist; create it first or choose another path`);
		expect(existsSync(join(scratch, 'no-such-dir'))).toBe(false);
	});

	it('refuses a public key, an encrypted key, a file of something else and a directory, each in its words', () => {
		expect(failure(() => loadHostKey(publicPath, true))).toBe(`--host-key ${JSON.stringify(publicPath)} is a public key; give its private key (the file without .pub)`);
		const encrypted = join(scratch, 'encrypted');
		writeFileSync(encrypted, ssh2.utils.generateKeyPairSync('ed25519', {passphrase: 'secret', cipher: 'aes256-cbc', rounds: 16}).private);
		expect(failure(() => loadHostKey(encrypted, true))).toBe(`--host-key ${JSON.stringify(encrypted)} is encrypted with a passphrase; give a key without one (ssh-keygen -t ed25519 -N '' -f FILE)`);
		const text = join(scratch, 'notes.txt');
		writeFileSync(text, 'not a key\n');
		expect(failure(() => loadHostKey(text, true))).toBe(`--host-key ${JSON.stringify(text)} is not a private key gdrace can use (an OpenSSH or PEM ed25519, ECDSA or RSA key)`);
		const folder = join(scratch, 'folder');
		mkdirSync(folder);
		expect(failure(() => loadHostKey(folder, true))).toBe(`--host-key ${JSON.stringify(folder)}: is a directory, not a file; give the path of a private key file (one is made where none exists)`);
		// The default path is named as such.
		expect(failure(() => loadHostKey(publicPath))).toBe(`the host key ${JSON.stringify(publicPath)} is a public key; give its private key (the file without .pub)`);
	});

	it('given as a .pub file, stops gdrace serve with one line and exit code 1, before it listens', () => {
		const run = spawnSync(process.execPath, [CLI, 'serve', '--port', '0', '--host-key', publicPath], {encoding: 'utf8', timeout: 60_000, killSignal: 'SIGKILL'});
		expect({status: run.status, stdout: run.stdout, stderr: run.stderr}).toEqual({
			status: 1,
			stdout: '',
			stderr: `gdrace serve: --host-key ${JSON.stringify(publicPath)} is a public key; give its private key (the file without .pub)\n`,
		});
	});
});

describe('the authorized keys', () => {
	it('are the public keys of the file, options and comments skipped', () => {
		const file = join(scratch, 'authorized_keys');
		writeFileSync(file, `# viewers\n\nfrom="127.0.0.1" ${pair.public} teacher@class\n`);
		expect(loadAuthorizedKeys(file).map((key) => key.getPublicSSH().toString('base64'))).toEqual([pair.public.split(' ')[1]]);
	});

	it('refuse a missing file, a directory, a private key and a file without keys, each in its words', () => {
		const missing = join(scratch, 'missing_keys');
		expect(failure(() => loadAuthorizedKeys(missing))).toBe(`--authorized-keys ${JSON.stringify(missing)}: no such file; check the path (an OpenSSH authorized_keys file, e.g. ~/.ssh/authorized_keys)`);
		expect(failure(() => loadAuthorizedKeys(scratch))).toBe(`--authorized-keys ${JSON.stringify(scratch)}: is a directory, not a file (an OpenSSH authorized_keys file, e.g. ~/.ssh/authorized_keys)`);
		expect(failure(() => loadAuthorizedKeys(privatePath))).toBe(
			`--authorized-keys ${JSON.stringify(privatePath)} holds no public key: it is a private key; give the public keys, one per line (the .pub files' lines)`,
		);
		const empty = join(scratch, 'empty_keys');
		writeFileSync(empty, '# nobody yet\n');
		expect(failure(() => loadAuthorizedKeys(empty))).toBe(`--authorized-keys ${JSON.stringify(empty)} holds no public key`);
		expect(readFileSync(privatePath, 'utf8')).toBe(pair.private);
	});
});

describe('the port', () => {
	/** gdrace serve's result for these flags (it must stop by itself). */
	const serve = (args: readonly string[]) => spawnSync(process.execPath, [CLI, 'serve', '--host-key', privatePath, ...args], {encoding: 'utf8', timeout: 60_000, killSignal: 'SIGKILL'});

	it('in use: says so and how to choose another', async () => {
		const first = spawn(process.execPath, [CLI, 'serve', '--port', '0', '--host-key', privatePath], {stdio: ['ignore', 'pipe', 'ignore']});
		try {
			let log = '';
			const port = await new Promise<number>((resolve, reject) => {
				// The start lines (address, host key, how to watch) go to stdout.
				first.stdout.on('data', (data: Buffer) => {
					log += data.toString();
					const match = /listening on 127\.0\.0\.1:(\d+)/.exec(log);
					if (match !== null) resolve(Number(match[1]));
				});
				first.once('exit', () => reject(new Error(`the first server stopped: ${log}`)));
			});
			const second = serve(['--port', String(port)]);
			expect({status: second.status, stderr: second.stderr}).toEqual({
				status: 1,
				stderr: `gdrace serve: cannot listen on 127.0.0.1:${port}: port ${port} is in use (another gdrace serve, or an sshd?); choose another with --port, or --port 0 for any free one\n`,
			});
		} finally {
			first.kill('SIGTERM');
		}
	});

	it("on an address that is not this machine's: says so", () => {
		// A documentation address (TEST-NET-1, RFC 5737): never this machine's, and nothing is sent to it.
		const run = serve(['--port', '0', '--host', '192.0.2.1']);
		expect({status: run.status, stderr: run.stderr}).toEqual({
			status: 1,
			stderr: 'gdrace serve: cannot listen on 192.0.2.1:0: this machine has no such address; give one of its own with --host, e.g. --host 127.0.0.1 or --host 0.0.0.0\n',
		});
	});
});
