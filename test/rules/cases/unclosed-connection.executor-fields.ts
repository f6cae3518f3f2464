// unclosed-connection: a class's connect() that opens its socket in a promise's executor and keeps it through a
// local (`const socket = net.createConnection(o); …; this.socket = socket`, also in the socket's own 'connect'
// listener), called again while that socket is open — from the socket's idle 'timeout' listener, or after
// repeated request timeouts — drops the open one. Look-alike: a reconnect scheduled only past a guard that
// returns while the field's socket is open (`if (this.socket && !this.socket.destroyed) { …; return }`).
import { InvalidCase, ValidCase } from '../../helpers/rule-tester';

/** A Modbus TCP client; `keep` stores the executor's socket, `reconnect` is the class's extra members, `stop` more of close(). */
const modbus = (keep: string, reconnect: string, stop = '') => `
      import net from 'node:net';
      export class ModbusTcpClient {
        private socket: net.Socket | null = null;
        private timeouts = 0;
        constructor(private readonly host: string, private readonly port: number) {}
        connect(): Promise<void> {
          return new Promise((resolve, reject) => {
            const socket = net.createConnection({ host: this.host, port: this.port });
            socket.once('error', reject);
            ${keep}
          });
        }
        ${reconnect}
        close(): void {${stop}
          this.socket?.destroy();
          this.socket = null;
        }
      }`;

/** A PLC gate: dial() resolves with a socket made in its executor; `listener` is what wire() adds to each socket it is given. */
const gate = (listener: string) => `
      import net from 'node:net';
      export class GateController {
        private socket?: net.Socket;
        constructor(private readonly host: string) {}
        async open(): Promise<void> {
          this.socket = await this.dial();
        }
        private dial(): Promise<net.Socket> {
          return new Promise((resolve, reject) => {
            const socket = net.connect({ host: this.host, port: 502 });
            socket.once('error', reject);
            socket.once('connect', () => {
              this.wire(socket);
              resolve(socket);
            });
          });
        }
        private wire(socket: net.Socket): void {
          socket.setTimeout(15_000);
          ${listener}
        }
        close(): void {
          this.socket?.destroy();
          this.socket = undefined;
        }
      }`;

const KEEP_NOW = `socket.once('connect', () => resolve());
            this.socket = socket;`;
const KEEP_ON_CONNECT = `socket.once('connect', () => {
              this.socket = socket;
              resolve();
            });`;

const AFTER_TIMEOUTS = `read(): Promise<void> {
          const socket = this.socket;
          if (!socket) return Promise.reject(new Error('not connected'));
          return new Promise((resolve, reject) => {
            setTimeout(() => { this.onRequestTimeout(); reject(new Error('timeout')); }, 2000);
            socket.write('x');
          });
        }
        private onRequestTimeout(): void {
          this.timeouts += 1;
          if (this.timeouts < 3) return;
          this.connect().catch(() => undefined);
        }`;

export const invalid: InvalidCase[] = [
  {
    name: "an idle 'timeout' listener that redials and keeps the fresh socket in then(): the idle one is never closed",
    code: gate(`socket.on('timeout', () => {
            this.dial().then(
              (fresh) => {
                this.socket = fresh;
              },
              (err) => console.error('redial failed', err.message),
            );
          });`),
    errors: [{ line: 10, message: /`this.socket` is given a new socket on line 23 while the one it holds may still be open/ }],
  },
  {
    name: 'a reconnect after three request timeouts, while the silent socket is still open: the executor kept it through a local',
    code: modbus(KEEP_NOW, AFTER_TIMEOUTS),
    errors: [{ line: 8, messageId: 'overwrite' }],
  },
  {
    name: "the socket kept in its 'connect' listener and replaced when its own idle 'timeout' fires (a timeout does not close a socket)",
    code: modbus(`${KEEP_ON_CONNECT}
            socket.setTimeout(15000);
            socket.on('timeout', () => { this.connect().catch(() => undefined); });`, ''),
    errors: [{ line: 8, messageId: 'overwrite' }],
  },
];

export const valid: ValidCase[] = [
  {
    name: "an idle 'timeout' listener whose redial's then() destroys the field's old socket before keeping the fresh one",
    code: gate(`socket.on('timeout', () => {
            this.dial().then((fresh) => {
              this.socket?.destroy();
              this.socket = fresh;
            }, () => undefined);
          });`),
  },
  {
    name: "a 'close' listener of each socket that redials and keeps the fresh one: the old one is gone",
    code: gate(`socket.on('close', () => {
            this.dial().then((fresh) => { this.socket = fresh; }, () => undefined);
          });`),
  },
  {
    name: "a 'close' listener of each socket that connects again into the field, in a method the 'connect' listener runs",
    code: gate(`socket.on('close', () => {
            this.socket = net.connect({ host: this.host, port: 502 });
            this.wire(this.socket);
          });`),
  },
  {
    name: 'a reconnect scheduled only past a guard that returns while the socket is open and not destroyed',
    code: modbus(KEEP_ON_CONNECT, `private reconnectTimer: NodeJS.Timeout | null = null;
        scheduleReconnect(): void {
          if (this.reconnectTimer) return;
          this.reconnectTimer = setTimeout(() => {
            this.reconnectTimer = null;
            this.connect().catch(() => undefined);
          }, 5000);
        }
        write(line: string): string {
          if (this.socket && !this.socket.destroyed) {
            this.socket.write(line);
            return 'primary';
          }
          this.scheduleReconnect();
          return 'spooled';
        }`, '\n          if (this.reconnectTimer) clearTimeout(this.reconnectTimer);'),
  },
  {
    name: "the socket's idle 'timeout' destroys it before connecting again",
    code: modbus(`${KEEP_ON_CONNECT}
            socket.setTimeout(15000);
            socket.on('timeout', () => { socket.destroy(); this.connect().catch(() => undefined); });`, ''),
  },
];
