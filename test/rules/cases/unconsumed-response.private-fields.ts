// unconsumed-response: a client a class keeps in a private field declared bare (`#dispatcher;`, JavaScript's private
// fields, or an untyped one of TypeScript): what the class assigns to it says what it is (`this.#dispatcher =
// dispatcher ?? new Pool(url)`), as for a field that only `this.x = …` declares. So does what a private method of the
// class returns (`this.#poolFor(kiln).request(…)`, a pool per controller kept in a Map), read from its `return`s.
import { InvalidCase, ValidCase } from '../../helpers/rule-tester';

/** A courier client keeping an undici Pool in `#dispatcher`; `notFound` is what trackParcel does on a 404. */
const COURIER = (notFound: string) => `
      import { Pool } from 'undici';
      export class CourierClient {
        #dispatcher;
        constructor({ baseUrl, dispatcher } = {}) {
          this.#dispatcher = dispatcher ?? new Pool(baseUrl, { connections: 8 });
        }
        async trackParcel(trackingNo) {
          const { statusCode, body } = await this.#dispatcher.request({ path: '/v3/parcels/' + encodeURIComponent(trackingNo), method: 'GET' });
          if (statusCode === 404) {
            ${notFound}
            return null;
          }
          return body.json();
        }
        close() {
          return this.#dispatcher.close();
        }
      }`;

/** A kiln poller with an undici Pool per controller from `#poolFor(kiln)`; `refused` is what it does on a 503. */
const KILN_POLLER = (refused: string) => `
      import { Pool } from 'undici';
      export class KilnPoller {
        #pools = new Map();
        constructor(kilns) { this.kilns = kilns; }
        #poolFor(kiln) {
          let p = this.#pools.get(kiln.id);
          if (!p) {
            p = new Pool(kiln.baseUrl, { connections: 2 });
            this.#pools.set(kiln.id, p);
          }
          return p;
        }
        async pollOnce(onReading) {
          for (const kiln of this.kilns) {
            const { statusCode, body } = await this.#poolFor(kiln).request({ method: 'GET', path: '/api/v1/thermocouples' });
            if (statusCode === 503) {${refused}
              continue;
            }
            onReading(kiln.id, await body.json());
          }
        }
        async stop() {
          await Promise.all([...this.#pools.values()].map((p) => p.destroy()));
        }
      }`;

export const invalid: InvalidCase[] = [
  {
    name: "a request on the undici Pool a private method returns from the class's Map: a 503 goes on to the next kiln without reading the body",
    ext: '.mjs',
    code: KILN_POLLER(''),
    errors: [{ line: 15, message: /^The body of the response from `undici.Pool.request` is not consumed or cancelled before the next loop iteration/ }],
  },
  {
    name: "an undici Pool in a bare private field: a 404 returns without reading the parcel's body",
    ext: '.mjs',
    code: COURIER(''),
    errors: [{ line: 8, message: /^The body of the response from `undici.Pool.request` is not consumed or cancelled when the `return` on line 11 is taken/ }],
  },
];

export const valid: ValidCase[] = [
  {
    name: 'the same client dumping the body of a 404',
    ext: '.mjs',
    code: COURIER('await body.dump();'),
  },
  {
    name: 'the same kiln poller dumping the body of a 503',
    ext: '.mjs',
    code: KILN_POLLER(`
              await body.dump();`),
  },
];
