// unclosed-connection: a connection a class keeps in a field and also returns from the method that makes it
// (`subscribe() { this.live = new WebSocket(url); …; return this.live }`) is still the class's: a `close()` that
// closes its other connections and forgets this one leaves it open. Returned by another method (a getter handing it
// out), it is handed on, and whoever takes it may close it.
import { InvalidCase, ValidCase } from '../../helpers/rule-tester';

/** A venue client with an undici Pool its close() closes and a live WebSocket; `extra` is more members. */
const VENUE = (extra: string) => `
      import { Pool } from 'undici';
      import WebSocket from 'ws';
      export class VenueClient {
        private http = new Pool('https://api.venue.example', { connections: 4 });
        private live: WebSocket | null = null;
        subscribeTableChanges(venueId: string, onChange: (c: unknown) => void): WebSocket {
          this.live = new WebSocket('wss://live.venue.example/v2/venues/' + venueId + '/tables');
          this.live.on('message', (raw) => onChange(JSON.parse(raw.toString())));
          return this.live;
        }${extra}
        async close(): Promise<void> {
          await this.http.close();
        }
      }`;

export const invalid: InvalidCase[] = [
  {
    name: "a WebSocket kept in a field and returned by the method that makes it, which the class's close() forgets beside the Pool it closes",
    code: VENUE(''),
    errors: [{ line: 7, message: /^WebSocket from `ws` is kept in `this.live`, and nothing in its class ever closes it/ }],
  },
];

export const valid: ValidCase[] = [
  {
    name: 'the same WebSocket handed out by a getter as well: whoever takes it may close it',
    code: VENUE(`
        get liveFeed(): WebSocket | null {
          return this.live;
        }`),
  },
];
