// unclosed-connection: a generator that holds a connection across a `yield`. The code iterating it may
// stop at any `yield` (a `break` out of its `for await`, `return()`, a consumer such as graphql-ws
// ending a subscription), and the generator then runs only its `finally` blocks: a close after the
// loop, or a peer's 'close' the code would otherwise wait for, never comes.
import { InvalidCase, ValidCase } from '../../helpers/rule-tester';

/** A subscription relaying a WebSocket feed; `body` is the generator's body after the socket is made. */
function feed(body: string): string {
  return `
      import WebSocket from 'ws';
      export async function* priceTicks(sku: string): AsyncGenerator<string> {
        const ws = new WebSocket('wss://prices.example.net/ticks?sku=' + sku);
        const buffered: string[] = [];
        let wake: (() => void) | undefined;
        let done = false;
        ws.on('message', (data) => { buffered.push(String(data)); wake?.(); });
        ws.on('close', () => { done = true; wake?.(); });
${body}
      }`;
}

const LOOP = `        for (;;) {
          while (buffered.length > 0) yield buffered.shift()!;
          if (done) return;
          await new Promise<void>((resolve) => { wake = resolve; });
        }`;

export const invalid: InvalidCase[] = [
  {
    name: 'a socket closed after the yield: a consumer that stops there leaves it open',
    code: `
      import net from 'node:net';
      export function* frames(host: string): Generator<number> {
        const s = net.connect(80, host);
        s.write('hello');
        yield 1;
        s.destroy();
      }`,
    errors: [{ line: 3, message: /^Socket from `net\.connect` is not closed if the code iterating this generator stops at the `yield` on line 5/ }],
    output: `
      import net from 'node:net';
      export function* frames(host: string): Generator<number> {
        const s = net.connect(80, host);
        try {
          s.write('hello');
          yield 1;
        } finally {
          s.destroy();
        }
      }`,
  },
  {
    name: "a subscription's WebSocket ended only by the peer ('close' sets a flag): the subscriber that stops iterating leaves it open",
    code: feed(LOOP),
    errors: [{ line: 3, message: /stays open if the code iterating this generator stops at the `yield` on line 10/ }],
  },
];

export const valid: ValidCase[] = [
  {
    name: 'the same subscription closing its WebSocket in finally',
    code: feed(`        try {
${LOOP}
        } finally {
          ws.close();
        }`),
  },
  {
    name: 'a generator that yields the socket itself: the consumer owns it',
    code: `
      import net from 'node:net';
      export function* connections(hosts: string[]): Generator<net.Socket> {
        for (const host of hosts) {
          const s = net.connect(80, host);
          yield s;
        }
      }`,
  },
  {
    name: 'a page generator that reads each body before it yields',
    code: `
      export async function* pages(url: string | null): AsyncGenerator<unknown[]> {
        while (url) {
          const res = await fetch(url);
          const data = await res.json();
          yield data.items;
          url = data.next;
        }
      }`,
  },
];
