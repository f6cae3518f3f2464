// unclosed-connection: a project class that makes its connection again once it is dropped (a 'close'
// listener that schedules `this.connect()`) reconnects like a Redis client: a test suite whose after
// hook drops every server-side connection does not end it, where it ends one that does not reconnect.
import { InvalidCase, ValidCase } from '../../helpers/rule-tester';

/** An events client over ws; `onClose` is what its socket's 'close' listener does. */
function eventsClient(onClose: string): string {
  return `
      import { EventEmitter } from 'node:events';
      import WebSocket from 'ws';
      export class EventsClient extends EventEmitter {
        private ws?: WebSocket;
        private closed = false;
        private timer?: NodeJS.Timeout;
        constructor(private readonly url: string) {
          super();
          this.connect();
        }
        private connect(): void {
          const ws = new WebSocket(this.url);
          this.ws = ws;
          ws.on('message', (raw) => this.emit('event', JSON.parse(String(raw))));
          ws.on('close', () => {
            if (this.closed) return;
            ${onClose}
          });
        }
        close(): void {
          this.closed = true;
          clearTimeout(this.timer);
          this.ws?.close();
        }
      }`;
}

/** A suite whose afterAll terminates every connection its WebSocketServer holds; the test never closes its client. */
const SUITE = `
      import { once } from 'node:events';
      import { afterAll, beforeAll, expect, it } from 'vitest';
      import { WebSocketServer } from 'ws';
      import { EventsClient } from './events-client';
      let wss: WebSocketServer;
      let url: string;
      beforeAll(async () => {
        wss = new WebSocketServer({ port: 0 });
        await once(wss, 'listening');
        url = 'ws://127.0.0.1:' + (wss.address() as { port: number }).port;
        wss.on('connection', (ws) => ws.send(JSON.stringify({ id: 1 })));
      });
      afterAll(async () => {
        for (const ws of wss.clients) ws.terminate();
        await new Promise<void>((resolve) => wss.close(() => resolve()));
      });
      it('delivers events', async () => {
        const client = new EventsClient(url);
        const [ev] = await once(client, 'event');
        expect(ev.id).toBe(1);
      });`;

export const invalid: InvalidCase[] = [
  {
    name: "a client whose socket's 'close' schedules a reconnect, left open by a test: the suite's terminate() makes it reconnect",
    code: SUITE,
    file: 'test/events.test.ts',
    files: { 'test/events-client.ts': eventsClient("this.timer = setTimeout(() => this.connect(), 500);") },
    errors: [{ line: 18, message: /^Connection-owning object from `new EventsClient\(\)` is never closed/ }],
  },
];

export const valid: ValidCase[] = [
  {
    name: "the same client without a reconnect: the suite's terminate() of every server-side socket closes it",
    code: SUITE,
    file: 'test/events.test.ts',
    files: { 'test/events-client.ts': eventsClient("this.emit('closed');") },
  },
];
