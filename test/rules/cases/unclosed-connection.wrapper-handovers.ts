// unclosed-connection: a connection handed to a project class that keeps it in a field and releases it in
// a method not named like the connection's own releases (`shutdown()` around a MongoClient's `close()`,
// `close()` around a socket's `destroy()` or an MQTT client's `end()`). The object is followed as the
// connection: calling that method closes it, and never calling it leaves the connection open.
import { InvalidCase, ValidCase } from '../../helpers/rule-tester';

/** A store that keeps the MongoClient it is given and closes it in shutdown(). */
const STORE = `
      import { MongoClient } from 'mongodb';
      export class DeviceStore {
        constructor(private readonly client: MongoClient) {}
        async put(id: string): Promise<void> { await this.client.db('fleet').collection('devices').insertOne({ id }); }
        async shutdown(): Promise<void> { await this.client.close(); }
      }`;

/** A line writer that keeps a socket in a field and destroys it in close(). */
const LINE = `
      import * as net from 'net';
      export class LineWriter {
        private sock: net.Socket;
        constructor(sock: net.Socket) { this.sock = sock; }
        write(line: string): void { this.sock.write(line + '\\n'); }
        close(): void { this.sock.destroy(); }
      }`;

/** A seeding function over a store it makes around a MongoClient; `use` is what it does with the store. */
const SEED = (use: string) => `
      import { MongoClient } from 'mongodb';
      import { DeviceStore } from './store';
      export async function seed(url: string, ids: string[]): Promise<void> {
        const client = await MongoClient.connect(url);
        const store = new DeviceStore(client);
${use}
      }`;

/** A sending function over a line writer it makes around a socket; `use` is what it does with the writer. */
const SEND = (use: string) => `
      import * as net from 'net';
      import { LineWriter } from './line';
      export function send(port: number, lines: string[]): void {
        const sock = net.connect(port, 'collector.local');
        const out = new LineWriter(sock);
${use}
      }`;

export const valid: ValidCase[] = [
  {
    name: 'a MongoClient handed to a store whose shutdown() closes it; the store is shut down in finally',
    code: SEED('        try {\n          for (const id of ids) await store.put(id);\n        } finally {\n          await store.shutdown();\n        }'),
    files: { 'store.ts': STORE },
  },
  {
    name: 'a socket handed to a line writer whose close() destroys it; the writer is closed on every path',
    code: SEND('        try {\n          for (const l of lines) out.write(l);\n        } finally {\n          out.close();\n        }'),
    files: { 'line.ts': LINE },
  },
  {
    name: 'a socket handed to a line writer that the function returns: the caller closes it',
    code: `
      import * as net from 'net';
      import { LineWriter } from './line';
      export function openWriter(port: number): LineWriter {
        const sock = net.connect(port, 'collector.local');
        const out = new LineWriter(sock);
        return out;
      }`,
    files: { 'line.ts': LINE },
  },
];

export const invalid: InvalidCase[] = [
  {
    name: 'a MongoClient handed to a store whose shutdown() closes it; the store is never shut down',
    code: SEED('        for (const id of ids) await store.put(id);'),
    files: { 'store.ts': STORE },
    errors: [{ line: 4, message: /^MongoDB client from `mongodb.MongoClient.connect` is never closed/ }],
  },
  {
    name: 'a socket handed to a line writer whose close() destroys it; the writer is never closed',
    code: SEND('        for (const l of lines) out.write(l);'),
    files: { 'line.ts': LINE },
    errors: [{ line: 4, message: /^Socket from `net.connect` is never closed/ }],
  },
];
