// unclosed-connection: a ws WebSocket whose upgrade the server refuses emits 'unexpected-response' (with a
// listener) instead of 'open': no WebSocket opened, and a refusing server closes the connection (ws's own
// abortHandshake, most frameworks' upgrade handlers). Code that goes on only once that happened holds
// nothing; one whose client did open still must close it.
import { InvalidCase, ValidCase } from '../../helpers/rule-tester';

export const valid: ValidCase[] = [
  {
    name: "a test awaiting a promise that resolves on 'unexpected-response' (or 'error') and rejects on 'open'",
    code: `
      import WebSocket from 'ws';
      it('refuses the upgrade of a plain route', async () => {
        const ws = new WebSocket('ws://127.0.0.1:8080/plain');
        await new Promise<void>((resolve, reject) => {
          ws.once('unexpected-response', (_req, res) => {
            expect(res.statusCode).toBe(404);
            resolve();
          });
          ws.once('open', () => reject(new Error('must not upgrade')));
          ws.once('error', () => resolve());
        });
      });`,
    file: 'test/upgrade.test.ts',
  },
  {
    name: "a function awaiting ws's 'unexpected-response' with events.once",
    code: `
      import { once } from 'node:events';
      import WebSocket from 'ws';
      export async function refusedStatus(url: string): Promise<number> {
        const ws = new WebSocket(url);
        const [, res] = await once(ws, 'unexpected-response');
        return res.statusCode;
      }`,
  },
];

export const invalid: InvalidCase[] = [
  {
    name: "the same promise resolving on 'open' too: an upgraded WebSocket is left open",
    code: `
      import WebSocket from 'ws';
      it('answers the upgrade', async () => {
        const ws = new WebSocket('ws://127.0.0.1:8080/live');
        await new Promise<void>((resolve) => {
          ws.once('unexpected-response', () => resolve());
          ws.once('open', () => resolve());
        });
      });`,
    file: 'test/live.test.ts',
    // The refused upgrade's listener is a passing path that leaves nothing open; the 'open' one is the leak.
    errors: [{ line: 3, message: /not closed once the promise is settled on line 6/ }],
  },
];
