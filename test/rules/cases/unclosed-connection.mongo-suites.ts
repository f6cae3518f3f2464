// unclosed-connection: MongoDB in test suites. A Mongoose connection a test makes with
// `mongoose.createConnection()`, in a suite whose after hook calls `mongoose.disconnect()`: that closes every
// connection Mongoose made (lib/mongoose.js pushes each onto `connections`, `disconnect()` closes them all).
// Not a suite that only closes the default connection (`mongoose.connection.close()`). A seeding client a
// `beforeAll` keeps from the promise form of `MongoClient.connect(uri)`, which the suite never closes.
import { InvalidCase, ValidCase } from '../../helpers/rule-tester';

const SUITE = (after: string) => `
      import mongoose from 'mongoose';
      beforeAll(async () => {
        const seed = await mongoose.createConnection('mongodb://127.0.0.1:27017/ota_acme').asPromise();
        await seed.collection('firmware').deleteMany({});
      });
      afterAll(async () => {
        ${after}
      });
      test('lists nothing', async () => {
        expect(await mongoose.connection.collection('firmware').countDocuments()).toBe(0);
      });`;

export const valid: ValidCase[] = [
  {
    name: "a seeding connection of a beforeAll hook, in a suite whose afterAll calls mongoose.disconnect()",
    code: SUITE('await mongoose.disconnect();'),
    file: 'src/db/tenant.test.ts',
  },
];

const SEEDED = (after: string) => `
      import { MongoClient } from 'mongodb';
      describe('exportDailyDistances', () => {
        let seed: MongoClient;
        beforeAll(async () => {
          seed = await MongoClient.connect('mongodb://127.0.0.1:27017');
          await seed.db('fleet').collection('positions').insertMany([{ vehicleId: 'TRK-001', km: 12.4 }]);
        });
        afterAll(async () => {
          ${after}
        });
        it('counts', async () => {
          expect(1).toBe(1);
        });
      });`;

valid.push({
  name: "a seeding client from MongoClient.connect(uri) in beforeAll that the afterAll closes",
  code: SEEDED(`await seed.db('fleet').dropDatabase();
          await seed.close();`),
  file: 'src/mongo/dailyReport.test.ts',
});

export const invalid: InvalidCase[] = [
  {
    name: "a seeding client from MongoClient.connect(uri) in beforeAll whose afterAll only drops the database",
    code: SEEDED(`await seed.db('fleet').dropDatabase();`),
    file: 'src/mongo/dailyReport.test.ts',
    errors: [{ line: 5, message: /that a test hook keeps in `seed` \(line 5\) is never closed or handed on anywhere in the file/ }],
  },
  {
    name: 'the same seeding connection when the afterAll closes only the default connection',
    code: SUITE('await mongoose.connection.close();'),
    file: 'src/db/tenant.test.ts',
    errors: [{ line: 3, message: /when the function ends/ }],
  },
];
