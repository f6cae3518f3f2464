// unclosed-connection: a class that closes a connection of its fields in a method of its own (`closeTelemetry()`,
// run when the last listener of a live WebSocket unsubscribes), while the method that ends the whole object
// (`close()`) releases its other connections and never reaches that code: closing the object with a subscriber
// still attached leaves the WebSocket open (and its heartbeat keeps the process alive). Look-alikes: close() calls
// the method that closes it, directly or through another method of the class. The same for connections the class
// keeps in a collection (`this.buoySockets.add(ws)`, each closed by the unsubscribe function handed out) when close()
// never looks at that collection. Agents lent to got through a const of shared options spread into `got.extend()`
// are only lent: a close() that destroys one of them forgets the other.
import { InvalidCase, ValidCase } from '../../helpers/rule-tester';

/** An SDK client with keep-alive agents and a live telemetry WebSocket; `end` is the body of close(). */
const CLIENT = (end: string, extra = '') => `
      import * as http from 'node:http';
      import * as https from 'node:https';
      import { EventEmitter } from 'node:events';
      import WebSocket from 'ws';
      export class IrrigationClient {
        private readonly events = new EventEmitter();
        private readonly httpAgent = new http.Agent({ keepAlive: true });
        private readonly httpsAgent = new https.Agent({ keepAlive: true });
        private telemetry?: WebSocket;
        private closed = false;
        constructor(private readonly baseUrl: string) {}
        onTelemetry(listener: (t: unknown) => void): () => void {
          this.events.on('telemetry', listener);
          if (!this.telemetry) this.openTelemetry();
          return () => {
            this.events.off('telemetry', listener);
            if (this.events.listenerCount('telemetry') === 0) this.closeTelemetry();
          };
        }
        private openTelemetry(): void {
          const ws = new WebSocket(this.baseUrl.replace(/^http/, 'ws') + '/v1/telemetry');
          this.telemetry = ws;
          ws.on('message', (data) => this.events.emit('telemetry', JSON.parse(data.toString())));
          ws.on('error', () => {});
          ws.on('close', () => {
            if (this.telemetry === ws) this.telemetry = undefined;
          });
        }
        private closeTelemetry(): void {
          const ws = this.telemetry;
          this.telemetry = undefined;
          ws?.close(1000, 'unsubscribed');
        }${extra}
        async close(): Promise<void> {
          this.closed = true;
${end}
        }
      }`;


/** A client keeping its live buoy sockets in a Set; `end` is the body of close(). */
const BUOYS = (end: string) => `
      import WebSocket from 'ws';
      import { HttpTransport } from './transport';
      export class TidepoolClient {
        private readonly transport = new HttpTransport();
        private readonly buoySockets = new Set<WebSocket>();
        subscribeBuoy(buoyId: string, onReading: (r: unknown) => void): () => void {
          const ws = new WebSocket('wss://buoys.example/' + encodeURIComponent(buoyId));
          this.buoySockets.add(ws);
          ws.on('message', (data) => onReading(JSON.parse(data.toString())));
          ws.on('error', () => {});
          ws.on('close', () => this.buoySockets.delete(ws));
          return () => ws.close(1000, 'unsubscribed');
        }
        close(): void {
${end}
        }
      }`;
const TRANSPORT = { 'src/transport.ts': "import * as https from 'https';\nexport class HttpTransport {\n  readonly agent = new https.Agent({ keepAlive: true });\n  close() { this.agent.destroy(); }\n}\n" };


/** An SDK client lending both agents to got through shared options; `end` is the body of close(). */
const GOT_AGENTS = (end: string) => `
      import http from 'node:http';
      import https from 'node:https';
      import got, { type Got } from 'got';
      export class AuctionClient {
        readonly api: Got;
        private readonly httpsAgent = new https.Agent({ keepAlive: true });
        private readonly httpAgent = new http.Agent({ keepAlive: true });
        constructor(apiUrl: string) {
          const shared = { agent: { http: this.httpAgent, https: this.httpsAgent }, timeout: { request: 15_000 } };
          this.api = got.extend({ ...shared, prefixUrl: apiUrl });
        }
        close(): void {
${end}
        }
      }`;

const AGENTS = '          this.httpAgent.destroy();\n          this.httpsAgent.destroy();';

export const valid: ValidCase[] = [
  {
    name: 'an SDK client whose close() closes the telemetry WebSocket through closeTelemetry() beside its agents',
    code: CLIENT(`          this.closeTelemetry();\n${AGENTS}`),
  },
  {
    name: 'the same client whose close() reaches closeTelemetry() through another method of the class',
    code: CLIENT(`          this.detachAll();\n${AGENTS}`, `
        private detachAll(): void {
          this.events.removeAllListeners('telemetry');
          this.closeTelemetry();
        }`),
  },
  {
    name: 'a client keeping its live sockets in a Set, whose close() terminates them beside its transport',
    code: BUOYS('          for (const ws of this.buoySockets) ws.terminate();\n          this.transport.close();'),
    files: TRANSPORT,
    file: 'src/client.ts',
  },
  {
    name: 'an SDK client lending both agents to got through spread shared options, whose close() destroys both',
    code: GOT_AGENTS('          this.httpsAgent.destroy();\n          this.httpAgent.destroy();'),
  },
];

export const invalid: InvalidCase[] = [
  {
    name: 'the same client whose close() destroys only its agents: a subscriber still attached keeps the WebSocket open',
    code: CLIENT(AGENTS),
    errors: [{ line: 21, message: /^WebSocket from `ws` is kept in `this.telemetry`; the method that ends the object \(line 34\) closes its other connections and never reaches the code that closes this one/ }],
  },
  {
    name: 'the same client whose close() closes only its transport: the sockets still subscribed stay open',
    code: BUOYS('          this.transport.close();'),
    files: TRANSPORT,
    file: 'src/client.ts',
    errors: [{ line: 7, message: /^WebSocket from `ws` is kept in `this.buoySockets`; the method that ends the object \(line 14\)/ }],
  },
  {
    name: 'the same client whose close() destroys only the https agent: the http one keeps its sockets',
    code: GOT_AGENTS('          this.httpsAgent.destroy();'),
    errors: [{ line: 7, message: /^Connection pool \(agent\/dispatcher\) from `http.Agent` is kept in `this.httpAgent`, and nothing in its class ever closes it/ }],
  },
];
