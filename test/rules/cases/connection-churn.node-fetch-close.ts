// connection-churn: node-fetch sends `Connection: close` on a request given no `agent`, so a request a timer makes at
// least once a second (a heartbeat) opens a new connection each time. Look-alikes: the same heartbeat given a keep-alive
// agent, or its own `Connection` header, or run every 30 seconds; the global fetch (undici pools its connections).
import { InvalidCase, ValidCase } from '../../helpers/rule-tester';

/** A live feed's heartbeat; `init` is the request's options, `every` its timer's delay, `fetchImport` where fetch comes from. */
const HEARTBEAT = (init: string, every = '1_000', fetchImport = "import fetch from 'node-fetch';") => `
      import https from 'node:https';
      ${fetchImport}
      const agent = new https.Agent({ keepAlive: true });
      export function startHeartbeat(url: string, token: string, onError: (e: unknown) => void) {
        return setInterval(() => {
          fetch(url, ${init})
            .then((res) => res.arrayBuffer())
            .catch(onError);
        }, ${every});
      }`;

export const valid: ValidCase[] = [
  {
    name: 'a node-fetch heartbeat every second given the keep-alive agent',
    code: HEARTBEAT("{ method: 'POST', agent, headers: { authorization: token } }"),
  },
  {
    name: 'a node-fetch heartbeat every second that asks for keep-alive in its own Connection header',
    code: HEARTBEAT("{ method: 'POST', headers: { authorization: token, connection: 'keep-alive' } }"),
  },
  {
    name: 'a node-fetch heartbeat every 30 seconds without an agent: too rare to pile up',
    code: HEARTBEAT("{ method: 'POST', headers: { authorization: token } }", '30_000'),
  },
  {
    name: "the same heartbeat every second with the global fetch, whose undici pool keeps its connection",
    code: HEARTBEAT("{ method: 'POST', headers: { authorization: token } }", '1_000', ''),
  },
];

export const invalid: InvalidCase[] = [
  {
    name: 'a node-fetch heartbeat every second without an agent: Connection: close, a new connection per beat',
    code: HEARTBEAT("{ method: 'POST', headers: { authorization: token } }"),
    errors: [{ line: 6, messageId: 'nodeFetchClose' }],
  },
];
