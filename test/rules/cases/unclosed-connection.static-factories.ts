// unclosed-connection: connections a class's own static factory makes and gives to its (private) constructor, which
// keeps them in fields (parameter properties, or `this.x = x`): the class's to close, as if its constructor had made
// them. A `close()` that closes one and forgets the other leaves that one open.
import { InvalidCase, ValidCase } from '../../helpers/rule-tester';

/** A session store opened by `SessionStore.open()`; `closes` is its close()'s body, `ctor` its constructor. */
const STORE = (closes: string, ctor = 'private constructor(private readonly conn: Connection, private readonly nc: NatsConnection) {}') => `
      import mongoose, { Connection } from 'mongoose';
      import { connect, NatsConnection } from 'nats';
      export class SessionStore {
        ${ctor}
        static async open(mongoUri: string, servers: string): Promise<SessionStore> {
          const nc = await connect({ servers: servers.split(',') });
          const conn = mongoose.createConnection(mongoUri);
          return new SessionStore(conn, nc);
        }
        publish(subject: string, data: Uint8Array): void {
          this.nc.publish(subject, data);
        }
        async close(): Promise<void> {
          ${closes}
        }
      }`;

export const invalid: InvalidCase[] = [
  {
    name: "a NATS connection a static factory gives to the private constructor, which the class's close() forgets beside the mongoose connection it closes",
    code: STORE('await this.conn.close();'),
    errors: [{ line: 6, message: /^NATS connection from `nats.connect` is kept in `this.nc`, and nothing in its class ever closes it/ }],
  },
  {
    name: 'the same through a constructor that assigns its parameters to fields',
    code: STORE('await this.conn.close();', `private readonly conn: Connection;
        private readonly nc: NatsConnection;
        private constructor(conn: Connection, nc: NatsConnection) {
          this.conn = conn;
          this.nc = nc;
        }`),
    errors: [{ line: 11, message: /kept in `this.nc`, and nothing in its class ever closes it/ }],
  },
];

export const valid: ValidCase[] = [
  {
    name: 'the same store whose close() drains the NATS connection too',
    code: STORE('await this.conn.close();\n          await this.nc.drain();'),
  },
];
