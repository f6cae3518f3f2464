// unclosed-connection: a connection a method keeps in a field from inside a local function it calls itself
// (`const connect = async () => { const ws = new WebSocket(url); this.ws = ws; … }; void connect()`, the usual
// shape of a reconnecting subscription): the field is the class's as if the method had set it directly.
import { InvalidCase, ValidCase } from '../../helpers/rule-tester';

/** An SDK client whose subscription reconnects through a local connect(); `close` is its release method's body. */
const SDK = (close: string) => `
      import WebSocket from 'ws';
      import { Agent } from 'node:https';
      export class MarinaClient {
        private ws?: WebSocket;
        private closed = false;
        private readonly agent = new Agent({ keepAlive: true });
        constructor(private readonly url: string) {}
        onBerthUpdates(listener: (update: unknown) => void, onError?: (err: Error) => void): void {
          const connect = async (): Promise<void> => {
            const ws = new WebSocket(this.url, { agent: this.agent });
            this.ws = ws;
            ws.on('message', (data) => listener(JSON.parse(data.toString())));
            ws.on('error', (err) => onError?.(err));
            ws.on('close', () => {
              if (this.ws !== ws || this.closed) return;
              setTimeout(() => void connect().catch((err) => onError?.(err)), 2_000);
            });
          };
          void connect().catch((err) => onError?.(err));
        }
        async close(): Promise<void> {
          ${close}
        }
      }`;

export const valid: ValidCase[] = [
  {
    name: "a subscription's WebSocket set by a local connect() the method calls, closed by the client's close()",
    code: SDK('this.closed = true;\n          this.ws?.close();\n          this.agent.destroy();'),
  },
];

export const invalid: InvalidCase[] = [
  {
    name: "a subscription's WebSocket set by a local connect() the method calls, left open by the close() that destroys the agent",
    code: SDK('this.closed = true;\n          this.agent.destroy();'),
    errors: [{ line: 10, message: /^WebSocket from `ws` is kept in `this.ws`, and nothing in its class ever closes it/ }],
  },
];
