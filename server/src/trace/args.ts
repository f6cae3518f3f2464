// `linger trace [options] -- <command...>`: options until `--` or the first word that is not one.

export interface TraceArgs {
  command: string[];
  intervalSeconds: number;
  watch: boolean;
  format: 'text' | 'json';
  output?: string;
  allSockets: boolean;
  help: boolean;
}

export const TRACE_USAGE = 'usage: linger trace [--interval SECONDS] [--watch] [--format text|json] [--output FILE] [--all-sockets] -- <command...>';

const WITH_VALUE = ['--interval', '--format', '--output', '-o'];
const FLAGS = ['--watch', '--all-sockets', '--help', '-h'];

export function parseTraceArgs(args: readonly string[]): TraceArgs | { error: string } {
  const result: TraceArgs = { command: [], intervalSeconds: 2, watch: false, format: 'text', allSockets: false, help: false };
  let i = 0;
  for (; i < args.length; i++) {
    const arg = args[i];
    if (arg === '--') {
      i++;
      break;
    }
    if (!arg.startsWith('-')) break;
    const eq = arg.indexOf('=');
    const name = arg.startsWith('--') && eq !== -1 ? arg.slice(0, eq) : arg;
    if (FLAGS.includes(name)) {
      if (name !== arg) return { error: `${name} takes no value` };
      if (name === '--watch') result.watch = true;
      else if (name === '--all-sockets') result.allSockets = true;
      else result.help = true;
      continue;
    }
    if (!WITH_VALUE.includes(name)) return { error: `unknown option ${arg}` };
    const value = name !== arg ? arg.slice(eq + 1) : args[++i];
    if (value === undefined || value === '') return { error: `${name} needs a value` };
    if (name === '--interval') {
      const seconds = /^\d+(\.\d+)?$/.test(value) ? Number(value) : NaN;
      if (!(seconds >= 0.1 && seconds <= 3600)) return { error: `--interval expects a number of seconds from 0.1 to 3600, got '${value}'` };
      result.intervalSeconds = seconds;
    } else if (name === '--format') {
      if (value !== 'text' && value !== 'json') return { error: `--format must be text or json, got '${value}'` };
      result.format = value;
    } else {
      result.output = value;
    }
  }
  result.command = args.slice(i);
  if (!result.help && result.command.length === 0) return { error: 'no command to trace (put it after --)' };
  return result;
}
