// unclosed-connection: a Mongoose connection a test makes with `mongoose.createConnection()`, in a suite
// whose after hook calls `mongoose.disconnect()`: that closes every connection Mongoose made (lib/mongoose.js
// pushes each onto `connections`, `disconnect()` closes them all). Not a suite that only closes the
// default connection (`mongoose.connection.close()`).
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

export const invalid: InvalidCase[] = [
  {
    name: 'the same seeding connection when the afterAll closes only the default connection',
    code: SUITE('await mongoose.connection.close();'),
    file: 'src/db/tenant.test.ts',
    errors: [{ line: 3, message: /when the function ends/ }],
  },
];
