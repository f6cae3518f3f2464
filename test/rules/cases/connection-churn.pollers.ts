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
