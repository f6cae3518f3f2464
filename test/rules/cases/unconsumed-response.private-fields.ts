// unconsumed-response: a client a class keeps in a private field declared bare (`#dispatcher;`, JavaScript's private
// fields, or an untyped one of TypeScript): what the class assigns to it says what it is (`this.#dispatcher =
// dispatcher ?? new Pool(url)`), as for a field that only `this.x = …` declares.
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

export const invalid: InvalidCase[] = [
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
];
