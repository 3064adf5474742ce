/**
 * `gdrace serve [--port 2222] [--host 127.0.0.1] [--host-key FILE] [--authorized-keys FILE]
 * [--max-sessions 16] [--shared] [race flags…]`: the server's own flags, taken off the command line; the
 * rest are race flags for `parseArgs`. Never prints, never exits.
 */
import {UsageError} from './errors.js';

/** The server's settings. */
export type ServeOptions = {
	/** 0 lets the OS pick (tests). @default 2222 */
	readonly port: number;
	/** @default 127.0.0.1 (loopback only) */
	readonly host: string;
	/** The host key file; created (ed25519, mode 600) when missing. @default $XDG_CONFIG_HOME/gdrace/host_ed25519 */
	readonly hostKey?: string;
	/** Only these public keys may watch (OpenSSH authorized_keys format). @default anyone who reaches the port */
	readonly authorizedKeys?: string;
	/** Viewers at once; past it a viewer gets one line and is closed. @default 16 */
	readonly maxSessions: number;
	/** One race, shown and steered on the server's terminal; every viewer watches it. @default false: each viewer races their own */
	readonly shared: boolean;
};

export const SERVE_DEFAULTS = {port: 2222, host: '127.0.0.1', maxSessions: 16} as const;

/** The server's own flags (`parseServeArgs`), for messages about a command line that misspells or misplaces one. */
export const SERVE_FLAGS = ['port', 'host', 'host-key', 'authorized-keys', 'max-sessions', 'shared'] as const;

export const SERVE_HELP = `Usage: gdrace serve [--port 2222] [--host 127.0.0.1] [--host-key FILE] [--authorized-keys FILE]
                    [--max-sessions 16] [--shared] [race flags…]

Serves the live race over SSH: viewers run \`ssh -p 2222 HOST\` and watch with nothing installed,
each at their own terminal size (at most 300×100), each racing their own race with the server's
race flags (keys work; q or Ctrl+C ends that viewer's session only; those who race at the top
speed share one screen's engine time). Without a pty (\`ssh HOST < /dev/null\`) or with a
TERM=dumb one, a viewer gets the plain summary. Nothing else is served: no shell, no commands, no
sftp, no forwarding. Each viewer's coming and going and each refused request is one line on stderr.

With --shared there is one race: this terminal shows it and steers it with every key, and each
viewer watches that race (paused when it is paused, in the view shown here) at their own size.
Viewers' keys steer nothing: q or Ctrl+C leaves, ? shows their help. When this screen quits (or
the race ends with --exit-on-finish) the viewers are told and their sessions close. While the
screen is up, the server's log lines wait until it closes if stderr is this terminal
(redirect stderr, 2>serve.log, to read them live); its footer counts the viewers.

  --port N              port to listen on (0: any free port)                 [default: 2222]
  --host ADDRESS        address to listen on                            [default: 127.0.0.1]
                        Without --authorized-keys ANYONE who can reach the port may watch:
                        the default host is loopback; choose another only on purpose.
  --host-key FILE       the server's private key; an ed25519 key is created there (mode 600)
                        when missing       [default: $XDG_CONFIG_HOME/gdrace/host_ed25519]
  --authorized-keys FILE  only these public keys may watch (OpenSSH authorized_keys format)
  --max-sessions N      viewers at once, 1 to 1000                              [default: 16]
  --shared              one race, shown and steered here; viewers watch it (needs a terminal)

Exit codes: 0 this screen quit (--shared), 1 host key or port problem, 2 bad flag or --shared
without a terminal, 129/130/143 SIGHUP/SIGINT/SIGTERM.`;

/** The serve flags and the remaining (race) arguments, or help. Throws UsageError for a bad value. */
export function parseServeArgs(argv: readonly string[]): {readonly kind: 'help'} | {readonly kind: 'run'; readonly options: ServeOptions; readonly rest: string[]} {
	let port: number = SERVE_DEFAULTS.port;
	let host: string = SERVE_DEFAULTS.host;
	let hostKey: string | undefined;
	let authorizedKeys: string | undefined;
	let maxSessions: number = SERVE_DEFAULTS.maxSessions;
	let shared = false;
	const rest: string[] = [];
	for (let i = 0; i < argv.length; i++) {
		const token = argv[i]!;
		const [flag, inline] = token.startsWith('--') && token.includes('=') ? [token.slice(0, token.indexOf('=')), token.slice(token.indexOf('=') + 1)] : [token, undefined];
		const value = (): string => {
			const next = inline ?? argv[++i];
			if (next === undefined || (inline === undefined && next.startsWith('--'))) throw new UsageError(`${flag} needs a value (see gdrace serve --help)`);
			return next;
		};
		switch (flag) {
			case '--help':
			case '-h':
				return {kind: 'help'};
			case '--port':
				port = whole(flag, value(), 0, 65535, '2222');
				break;
			case '--host':
				host = value();
				if (host.trim() === '') throw new UsageError('--host needs an address; e.g. --host 127.0.0.1');
				break;
			case '--host-key':
				hostKey = value();
				break;
			case '--authorized-keys':
				authorizedKeys = value();
				break;
			case '--max-sessions':
				maxSessions = whole(flag, value(), 1, 1000, '16');
				break;
			case '--shared':
				if (inline !== undefined) throw new UsageError(`--shared takes no value, got ${JSON.stringify(token)}; e.g. gdrace serve --shared`);
				shared = true;
				break;
			default:
				rest.push(token);
		}
	}
	return {kind: 'run', options: {port, host, maxSessions, shared, ...(hostKey === undefined ? {} : {hostKey}), ...(authorizedKeys === undefined ? {} : {authorizedKeys})}, rest};
}

function whole(flag: string, text: string, min: number, max: number, example: string): number {
	const value = /^\d+$/.test(text.trim()) ? Number(text) : Number.NaN;
	if (!(Number.isInteger(value) && value >= min && value <= max)) {
		throw new UsageError(`${flag} must be an integer from ${min} to ${max}, got ${JSON.stringify(text)}; e.g. ${flag} ${example}`);
	}
	return value;
}
