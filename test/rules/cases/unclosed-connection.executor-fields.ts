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
