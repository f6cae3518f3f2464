// unclosed-connection: MongoDB in test suites. A Mongoose connection a test makes with
// `mongoose.createConnection()`, in a suite whose after hook calls `mongoose.disconnect()`: that closes every
// connection Mongoose made (lib/mongoose.js pushes each onto `connections`, `disconnect()` closes them all).
// Not a suite that only closes the default connection (`mongoose.connection.close()`). A seeding client a
// `beforeAll` keeps from the promise form of `MongoClient.connect(uri)`, which the suite never closes. Mongoose's
// default connection a `before` hook opens (`await mongoose.connect(url)`) with nothing closing it: not in the file
// (`mongoose.disconnect()`, `mongoose.connection.close()`, a project helper an after hook calls), nor in another test
// file (a root hook's `after(() => mongoose.disconnect())`).
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

/** A mocha suite of a Donor model whose `before` connects mongoose's default connection; `after` is an after hook, or nothing. */
const DONORS = (after: string) => `
      const mongoose = require('mongoose');
      const Donor = require('../src/models/Donor');
      describe('Donor', function () {
        before(async function () {
          await mongoose.connect(process.env.TEST_MONGO_URL || 'mongodb://127.0.0.1:27017/donors_test');
        });
        beforeEach(async function () {
          await Donor.deleteMany({});
        });${after}
        it('is eligible when they never donated', async function () {
          await Donor.create({ donorId: 'D-1' });
        });
      });`;
const DONOR_MODEL = { 'src/models/Donor.js': "const mongoose = require('mongoose');\nmodule.exports = mongoose.model('Donor', new mongoose.Schema({ donorId: String }));\n" };

invalid.push({
  name: "mongoose's default connection a before hook opens, which nothing in the suite (or another test file) closes: its pool keeps mocha alive",
  code: DONORS(''),
  ext: '.js',
  file: 'test/donors.test.js',
  files: DONOR_MODEL,
  errors: [{ line: 5, message: /^The MongoDB client from `mongoose.connect` that a test hook keeps in `mongoose.connection` \(line 5\) is never closed/ }],
});

valid.push({
  name: 'the same suite disconnecting mongoose after its tests',
  code: DONORS(`
        after(async function () {
          await mongoose.disconnect();
        });`),
  ext: '.js',
  file: 'test/donors.test.js',
  files: DONOR_MODEL,
}, {
  name: "the same suite whose after hook calls the project's own closeDb() (which may disconnect it)",
  code: DONORS(`
        after(() => closeDb());`).replace("const Donor = require('../src/models/Donor');", "const Donor = require('../src/models/Donor');\n      const { closeDb } = require('../src/db');"),
  ext: '.js',
  file: 'test/donors.test.js',
  files: { ...DONOR_MODEL, 'src/db.js': "const mongoose = require('mongoose');\nexports.closeDb = () => mongoose.disconnect();\n" },
}, {
  name: 'the same suite in a project whose root hook file disconnects mongoose after every suite',
  code: DONORS(''),
  ext: '.js',
  file: 'test/donors.test.js',
  files: { ...DONOR_MODEL, 'test/hooks.test.js': "const mongoose = require('mongoose');\nexports.mochaHooks = { async afterAll() { await mongoose.disconnect(); } };\n" },
});

/** A jest suite connecting mongoose in beforeAll, serving an express app, and an afterAll that runs `teardown`. */
const LOCATIONS = (teardown: string) => `
      import http from 'node:http';
      import { once } from 'node:events';
      import express from 'express';
      import mongoose from 'mongoose';
      import { closeMongo } from '../src/db/mongo';
      let server: http.Server;
      beforeAll(async () => {
        await mongoose.connect('mongodb://localhost:27017/courier');
        const app = express();
        server = app.listen(0, '127.0.0.1');
        await once(server, 'listening');
      });
      afterAll(async () => {
        await new Promise<void>((resolve) => server.close(() => resolve()));
        ${teardown}
      });
      it('stores a position', async () => {
        expect(await mongoose.connection.collection('positions').countDocuments()).toBe(0);
      });`;
/** `closeMongo()` closing a MongoClient of its own module, which never names mongoose. */
const MONGO_CLIENT_MODULE = {
  'src/db/mongo.ts': "import { MongoClient } from 'mongodb';\nlet client: MongoClient | undefined;\nexport async function closeMongo(): Promise<void> {\n  const c = client;\n  client = undefined;\n  if (c) await c.close();\n}\n",
};

invalid.push({
  name: "mongoose's default connection a beforeAll opens, whose afterAll closes the server and calls a project closeMongo() of a module that never names mongoose (it closes a MongoClient of its own)",
  code: LOCATIONS('await closeMongo();'),
  file: 'test/location.test.ts',
  files: MONGO_CLIENT_MODULE,
  errors: [{ line: 8, message: /^The MongoDB client from `mongoose.connect` that a test hook keeps in `mongoose.connection` \(line 8\) is never closed/ }],
});

valid.push({
  name: 'the same suite whose closeMongo() comes from a module importing a project module that names mongoose (it may disconnect it)',
  code: LOCATIONS('await closeMongo();'),
  file: 'test/location.test.ts',
  files: {
    'src/db/mongo.ts': "import { disconnectModels } from './models';\nexport async function closeMongo(): Promise<void> {\n  await disconnectModels();\n}\n",
    'src/db/models.ts': "import mongoose from 'mongoose';\nexport async function disconnectModels(): Promise<void> {\n  await mongoose.disconnect();\n}\n",
  },
}, {
  name: "the same suite whose afterAll calls a helper of the test file that calls the project's closeDb() (which disconnects mongoose)",
  code: `${LOCATIONS('await teardown();').replace("import { closeMongo } from '../src/db/mongo';", "import { closeDb } from '../src/db/connection';")}
      async function teardown() {
        await closeDb();
      }`,
  file: 'test/location.test.ts',
  files: { 'src/db/connection.ts': "import mongoose from 'mongoose';\nexport const closeDb = () => mongoose.disconnect();\n" },
});
