// connection-churn: the function a project factory returns, kept in a `const` by its caller and called from code
// that runs for every event (`const forward = createHistorianForwarder(cfg); bus.on('reading', (r) => forward(r))`):
// it runs as often as those calls, so a connection it opens for one exchange is one per event.
import { InvalidCase, ValidCase } from '../../helpers/rule-tester';

/** A factory whose product sends one metric line per call over a connection of its own. */
const FORWARDER = `
      import net from 'node:net';
      export function createHistorianForwarder(opts: { host: string; port: number }) {
        let dropped = 0;
        return function forward(reading: { probe: string; value: number }): void {
          const line = \`hydro.\${reading.probe} \${reading.value} \${Math.floor(Date.now() / 1000)}\\n\`;
          const sock = net.connect({ host: opts.host, port: opts.port }, () => sock.end(line));
          sock.setTimeout(5000, () => sock.destroy());
          sock.on('error', () => { dropped++; });
        };
      }`;

/** The application's entry point; `use` is what it does with the forwarder. */
const MAIN = (use: string) => `import { EventEmitter } from 'node:events';
import { createHistorianForwarder } from './case';
export async function main(bus: EventEmitter) {
  const forward = createHistorianForwarder({ host: process.env.GRAPHITE_HOST ?? 'graphite', port: 2003 });
${use}
}
void main(new EventEmitter());
`;

export const valid: ValidCase[] = [
  {
    name: "a factory's forwarder the entry point calls once, for the reading it starts with",
    code: FORWARDER,
    files: { 'main.ts': MAIN("  forward({ probe: 'startup', value: 1 });") },
  },
];

export const invalid: InvalidCase[] = [
  {
    name: "a factory's forwarder kept in a const and called from a 'reading' listener: a connection per reading",
    code: FORWARDER,
    files: { 'main.ts': MAIN("  const onReading = (r: { probe: string; value: number }) => { forward(r); };\n  bus.on('reading', onReading);") },
    errors: [{ line: 6, message: /^A new `net.connect` connection is opened on every call of `forward` for one exchange/ }],
  },
  {
    name: "the same forwarder called for each reading of a batch in a loop",
    code: FORWARDER,
    files: { 'main.ts': MAIN("  bus.on('batch', (rs: { probe: string; value: number }[]) => { for (const r of rs) forward(r); });") },
    errors: [{ line: 6, message: /^A new `net.connect` connection is opened on every call of `forward` for one exchange/ }],
  },
];
