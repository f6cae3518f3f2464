// A file's findings do not depend on which files were analysed before it in the same program: the
// engine's caches (origins.ts) keep only answers that were not cut short by a depth limit or a cycle,
// which would otherwise depend on where the question came from. Found on a held-out labelled set: a
// caller analysed first (`bin/` sorts before `lib/`) hid its helper's unclosed MongoClient.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { cleanup, workspace } from '../robustness/helpers';
import { createAnalyzer } from '../../server/src/analyzer';

const FILES = {
  'package.json': '{ "name": "jobs", "private": true, "dependencies": { "mongodb": "^6.0.0" } }',
  'lib/verify.js': `'use strict';
const { MongoClient } = require('mongodb');
async function verifyCounts(uri, collection) {
  const client = new MongoClient(uri);
  await client.connect();
  const documents = await client.db().collection(collection).countDocuments({});
  if (documents === 0) throw new Error('empty');
  await client.close();
  return documents;
}
module.exports = { verifyCounts };
`,
  'bin/run-job.js': `const { verifyCounts } = require('../lib/verify');
function runOne() {
  verifyCounts('mongodb://localhost/jobs', 'orders');
}
module.exports = { runOne };
`,
};

describe('analysis order', () => {
  let dir: string;
  before(() => { dir = workspace(FILES); });
  after(() => cleanup(dir));

  const findingsOf = (order: string[], file: string) => {
    const analyzer = createAnalyzer({});
    const results = order.map((f) => analyzer.analyzeFile(path.join(dir, f)));
    return results[order.indexOf(file)].findings.map((f) => `${f.ruleId}:${f.line}`);
  };

  it("gives a helper's file the same findings whether its caller was analysed first or not", () => {
    const alone = findingsOf(['lib/verify.js'], 'lib/verify.js');
    assert.deepEqual(alone, ['unclosed-connection:4']);
    assert.deepEqual(findingsOf(['bin/run-job.js', 'lib/verify.js'], 'lib/verify.js'), alone);
    assert.deepEqual(findingsOf(['lib/verify.js', 'bin/run-job.js'], 'lib/verify.js'), alone);
  });
});
