// unclosed-connection: a MongoDB change stream (`collection.watch(pipeline)`) is a cursor the driver keeps reading
// until `close()`. One a function opens to wait for a change, settled by a give-up timer without a close, stays
// open for the life of the process; one closed on both ways out, or handed to its caller, does not. One of a client
// the function makes itself is that client's finding: closing the client ends its streams. A test's change stream
// ends with the connection the suite closes, and is left alone.
import { InvalidCase, ValidCase } from '../../helpers/rule-tester';

/**
 * A wait for a unit's acknowledgement on a change stream of the collection it is given (untyped: a package that
 * depends on the driver); `onTimeout` is the give-up timer's body.
 */
const WAIT_FOR_ACK = (onTimeout: string) => `
      export function waitForUnitAck(units, unitId, timeoutMs = 30_000) {
        const stream = units.watch([{ $match: { operationType: 'update', 'documentKey._id': unitId } }]);
        return new Promise((resolve, reject) => {
          const timer = setTimeout(() => { ${onTimeout} }, timeoutMs);
          stream.once('change', () => {
            clearTimeout(timer);
            stream.close().catch(() => undefined);
            resolve(true);
          });
          stream.once('error', (err) => {
            clearTimeout(timer);
            reject(err);
          });
        });
      }`;

const PACKAGE = '{ "name": "dispatch-relay", "dependencies": { "mongodb": "^6.8.0" } }';

export const valid: ValidCase[] = [
  {
    name: "a test's change stream never closed: it ends with the connection the suite closes after its tests",
    code: `
      import assert from 'node:assert';
      import mongoose from 'mongoose';
      describe('watch()', () => {
        let db;
        before(async () => { db = await mongoose.createConnection(process.env.MONGO_URL).asPromise(); });
        after(() => db.close());
        it('streams inserts', async () => {
          const Model = db.model('Test', new mongoose.Schema({ name: String }));
          const changeStream = await Model.watch();
          const next = changeStream.next();
          await Model.create({ name: 'Ned' });
          assert.equal((await next).operationType, 'insert');
        });
      });`,
    file: 'test/model.test.js',
    ext: '.js',
  },
  {
    name: 'a change stream closed by the give-up timer as by the change listener',
    code: WAIT_FOR_ACK('stream.close().catch(() => undefined); resolve(false);'),
    ext: '.js',
    files: { 'package.json': PACKAGE },
  },
  {
    name: 'a change stream handed to the caller, who owns it',
    code: `
      import { MongoClient } from 'mongodb';
      const mongo = new MongoClient(process.env.MONGO_URL ?? 'mongodb://127.0.0.1:27017');
      export function watchAlarms(onAlarm: (doc: unknown) => void) {
        const stream = mongo.db('fleet').collection('alarms').watch([{ $match: { operationType: 'insert' } }]);
        stream.on('change', (c) => onAlarm(c));
        stream.on('error', (e) => console.error(e));
        return stream;
      }`,
  },
  {
    name: "Redis's WATCH on a client of unknown type in a package that also uses the MongoDB driver: a key is no pipeline",
    code: `
      const { lockPool } = require('./pool');
      async function assignUnit(unitId, incidentId) {
        const conn = await lockPool.acquire();
        try {
          await conn.watch(\`unit:\${unitId}:status\`);
          await conn.multi().set(\`unit:\${unitId}:incident\`, incidentId).exec();
        } finally {
          await lockPool.release(conn);
        }
      }
      module.exports = { assignUnit };`,
    ext: '.js',
    files: { 'package.json': PACKAGE },
  },
];

export const invalid: InvalidCase[] = [
  {
    name: 'a change stream of a client the function makes, both left open by the give-up timer: reported once, at the client (closing it ends its streams)',
    code: `
      import { MongoClient } from 'mongodb';
      export async function waitForCapacity(slotId: string, timeoutMs: number): Promise<boolean> {
        const client = new MongoClient(process.env.MONGO_URL ?? 'mongodb://127.0.0.1:27017');
        await client.connect();
        const slots = client.db('freshcart').collection('slots');
        const stream = slots.watch([{ $match: { 'documentKey._id': slotId } }]);
        return new Promise<boolean>((resolve) => {
          const timer = setTimeout(() => resolve(false), timeoutMs);
          stream.on('change', async () => {
            clearTimeout(timer);
            await stream.close();
            await client.close();
            resolve(true);
          });
        });
      }`,
    errors: [{ line: 3, message: /MongoDB client from `mongodb.MongoClient`/ }],
  },
  {
    name: 'a change stream a give-up timer settles without closing: its cursor stays open on the server',
    code: WAIT_FOR_ACK('resolve(false);'),
    ext: '.js',
    files: { 'package.json': PACKAGE },
    errors: [{ line: 2, message: /MongoDB change stream from `units.watch` is not closed once the promise is settled on line 4/ }],
  },
];
