// connection-churn: pollers whose tick reads each of a fixed list of devices over a connection of its own, made and closed
// per read. The list is the same on every tick (a field only the constructor sets), so each tick connects to the same
// servers again; a tick is also a function that schedules itself again in its own body (`setTimeout(tick, ms)`).
import { InvalidCase, ValidCase } from '../../helpers/rule-tester';

export const valid: ValidCase[] = [];
export const invalid: InvalidCase[] = [];

/**
 * A poller of the pits its constructor was given, reading each pit's jack controller over a TCP connection of its own
 * per read (`this.pits.map(async (pit) => readJacks(pit))`); `again` is what the tick does after the reads.
 */
const PIT_MONITOR = (again: string) => `
      import net from 'node:net';
      export function readJacks(pit: { host: string }): Promise<string> {
        return new Promise((resolve, reject) => {
          const sock = net.createConnection({ host: pit.host, port: 4001 });
          sock.on('connect', () => sock.write('READ\\n'));
          sock.on('data', (chunk) => {
            sock.end();
            resolve(String(chunk));
          });
          sock.on('error', reject);
        });
      }
      export class PitMonitor {
        private timer?: NodeJS.Timeout;
        private running = false;
        constructor(private readonly pits: { host: string }[], private readonly intervalMs = 500) {}
        start(): void {
          this.running = true;
          const tick = async () => {
            await Promise.all(this.pits.map(async (pit) => console.log(await readJacks(pit))));
            ${again}
          };
          void tick();
        }
        stop(): void {
          this.running = false;
          clearTimeout(this.timer);
        }
      }`;

invalid.push({
  name: 'a poll tick that schedules itself again reads each of the same pits over a new TCP connection on every tick',
  code: PIT_MONITOR('if (this.running) this.timer = setTimeout(tick, this.intervalMs);'),
  errors: [{ line: 4, messageId: 'tcpSocketPerCall' }],
});
valid.push({
  name: 'the same reads run once by start(): one connection per pit, each to a server of its own',
  code: PIT_MONITOR('this.running = false;'),
});

/** A Modbus/TLS exchange per call, and `use`: how the module's exported function runs it for each extractor. */
const EXTRACTORS = (use: string) => `
      import tls from 'node:tls';
      export interface Extractor { id: string; host: string; port: number }
      function exchange(ex: Extractor, request: Buffer): Promise<Buffer> {
        return new Promise((resolve, reject) => {
          const sock = tls.connect({ host: ex.host, port: ex.port, servername: ex.id });
          sock.setTimeout(1500, () => sock.destroy(new Error('no reply')));
          sock.once('secureConnect', () => sock.write(request));
          sock.on('data', (chunk: Buffer) => { sock.end(); resolve(chunk); });
          sock.once('error', reject);
        });
      }
      ${use}`;

valid.push({
  name: 'a Modbus/TLS exchange per extractor of a list, once each (one server per element: no connection could be shared)',
  code: EXTRACTORS(`export async function identify(extractors: Extractor[]): Promise<Buffer[]> {
        const out: Buffer[] = [];
        for (const ex of extractors) out.push(await exchange(ex, Buffer.from([0x11])));
        return out;
      }`),
});
invalid.push({
  name: "a poll loop per extractor (an async IIFE's `while` inside the loop over extractors): the same extractor, a new TLS connection twice a second",
  code: EXTRACTORS(`export function startRegisterPolling(extractors: Extractor[], onReading: (b: Buffer) => void): () => void {
        let stopped = false;
        for (const ex of extractors) {
          void (async () => {
            while (!stopped) {
              try {
                onReading(await exchange(ex, Buffer.from([0x03, 0x00, 0x10])));
              } catch (err) {
                console.warn((err as Error).message);
              }
              await new Promise((r) => setTimeout(r, 500));
            }
          })();
        }
        return () => { stopped = true; };
      }`),
  errors: [{ line: 5, message: /^A new `tls.connect` connection is opened on every call of `exchange` for one exchange/ }],
});
