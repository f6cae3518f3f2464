import { ALL_STATES, normaliseState } from './states';
import type { TcpState } from './types';

export interface SocketsArgs {
  port?: number;
  state?: TcpState;
  /** Seconds between samples; undefined = one sample. */
  watch?: number;
  format: 'text' | 'json';
  help: boolean;
}

export const USAGE = 'usage: linger sockets [--port N] [--state S] [--watch SECONDS] [--format text|json]';

/** Parses `linger sockets` arguments; returns a one-line reason for bad usage. */
export function parseSocketsArgs(args: readonly string[]): SocketsArgs | { error: string } {
  const result: SocketsArgs = { format: 'text', help: false };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === '-h' || arg === '--help') {
      result.help = true;
      continue;
    }
    const eq = arg.indexOf('=');
    const name = arg.startsWith('--') && eq !== -1 ? arg.slice(0, eq) : arg;
    if (!['--port', '--state', '--watch', '--format'].includes(name)) {
      return { error: arg.startsWith('-') ? `unknown option ${arg}` : `unexpected argument '${arg}'` };
    }
    const value = eq !== -1 && name !== arg ? arg.slice(eq + 1) : args[++i];
    if (value === undefined || value === '') return { error: `${name} needs a value` };
    switch (name) {
      case '--port': {
        const port = /^\d+$/.test(value) ? Number(value) : NaN;
        if (!(port >= 1 && port <= 65535)) return { error: `--port expects a port number 1-65535, got '${value}'` };
        result.port = port;
        break;
      }
      case '--state': {
        const state = normaliseState(value);
        if (!state) return { error: `--state: unknown TCP state '${value}' (one of ${ALL_STATES.join(', ')})` };
        result.state = state;
        break;
      }
      case '--watch': {
        const seconds = /^\d+(\.\d+)?$/.test(value) ? Number(value) : NaN;
        if (!(seconds > 0)) return { error: `--watch expects a number of seconds greater than 0, got '${value}'` };
        result.watch = seconds;
        break;
      }
      case '--format':
        if (value !== 'text' && value !== 'json') return { error: `--format must be text or json, got '${value}'` };
        result.format = value;
        break;
    }
  }
  return result;
}
