// A connection-churn finding supersedes unclosed-connection's at the same place (RuleMeta.supersedes): one finding
// that says both. Reported in a factory its own file only calls (a pooled SMTP transport `createMailer()` makes for each
// mail), exported or not, it speaks for every call of that factory in the file too, where unclosed-connection would
// otherwise report each caller's never-closed pool once more; a call from another module is reported there. For a client
// its calls close again (churn), a call that leaves it open on some path keeps unclosed-connection's own finding. A client
// per request whose teardown listener undoes its use (`sub.unsubscribe(ch)` on 'disconnect') but forgets its close is
// unclosed-connection's alone: made per request by design, it lacks only that close.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { cleanup, workspace } from '../robustness/helpers';
import { createAnalyzer } from '../../server/src/analyzer';
import { analyzeFiles, listSourceFiles } from '../../server/src/core/analyze';

const mailer = (exported: boolean) => `import nodemailer from 'nodemailer';
${exported ? 'export ' : ''}function createMailer() {
  return nodemailer.createTransport({ pool: true, maxConnections: 3, host: process.env.SMTP_HOST, port: 587 });
}
export async function sendInvite(to: string): Promise<string> {
  const mailer = createMailer();
  const info = await mailer.sendMail({ from: 'sign@example.com', to, subject: 'Please sign', text: '' });
  return info.messageId;
}
export async function sendNotice(to: string): Promise<string> {
  const mailer = createMailer();
  const info = await mailer.sendMail({ from: 'sign@example.com', to, subject: 'Completed', text: '' });
  return info.messageId;
}
`;
const OTHER = `import { createMailer } from './shared-mailer';
import express from 'express';
export const reminders = express.Router();
reminders.post('/remind', async (req, res) => {
  const mailer = createMailer();
  const info = await mailer.sendMail({ from: 'sign@example.com', to: req.body.to, subject: 'Reminder', text: '' });
  res.json({ id: info.messageId });
});
`;
const ROUTES = `import express from 'express';
import { sendInvite, sendNotice } from './mailer';
export const router = express.Router();
router.post('/invite', async (req, res) => res.json({ id: await sendInvite(req.body.to) }));
router.post('/done', async (req, res) => res.json({ id: await sendNotice(req.body.to) }));
`;

const SEARCH = `import { Client } from '@elastic/elasticsearch';
function esClient() {
  return new Client({ node: process.env.ES_URL });
}
export async function indexEvent(event: { at: string }) {
  const es = esClient();
  try {
    await es.index({ index: 'events', document: event });
  } finally {
    await es.close();
  }
}
export async function recentVisits(plate: string) {
  const es = esClient();
  const result = await es.search({ index: 'events', query: { term: { plate } } });
  if (result.hits.hits.length === 0) return [];
  const visits = result.hits.hits.map((hit) => hit._source);
  await es.close();
  return visits;
}
`;

/** A hapi handler (registered by name in a route object) that opens a Redis subscriber per viewer; `teardown` runs when the viewer leaves. */
const PROGRESS = (teardown: string) => `import { PassThrough } from 'node:stream';
import { createClient } from 'redis';
export async function progressStream(request: any, h: any) {
  const stream = new PassThrough();
  const sub = createClient({ url: process.env.REDIS_URL });
  await sub.connect();
  await sub.subscribe('progress', (message) => stream.write('data: ' + message + '\\n\\n'));
  request.events.once('disconnect', () => {
    ${teardown}
  });
  return h.response(stream).type('text/event-stream');
}
`;
const PROGRESS_SERVER = (file: string) => `import Hapi from '@hapi/hapi';
import { progressStream } from './${file}';
const server = Hapi.server({ port: 3000 });
server.route([{ method: 'GET', path: '/progress', handler: progressStream }]);
`;

describe('superseded findings', () => {
  let dir: string;
  before(() => {
    dir = workspace({
      'package.json': '{ "name": "esign", "private": true, "dependencies": { "nodemailer": "^6.9.0", "express": "^4.19.0", "@elastic/elasticsearch": "^8.13.0", "redis": "^4.6.0", "@hapi/hapi": "^21.3.0" } }',
      'src/mailer.ts': mailer(false),
      'src/shared-mailer.ts': mailer(true),
      'src/routes.ts': ROUTES,
      'src/shared-routes.ts': ROUTES.replace("'./mailer'", "'./shared-mailer'"),
      'src/reminders.ts': OTHER,
      'src/search.ts': SEARCH,
      'src/progress.ts': PROGRESS("sub.unsubscribe('progress').catch(() => {});\n    stream.end();"),
      'src/progress-server.ts': PROGRESS_SERVER('progress'),
      'src/quiet-progress.ts': PROGRESS('stream.end();'),
      'src/quiet-progress-server.ts': PROGRESS_SERVER('quiet-progress'),
    });
  });
  after(() => cleanup(dir));

  // The whole folder, as `linger audit` has it: the routes that call the mailer are in the program.
  const findingsOf = (file: string) => analyzeFiles(listSourceFiles([dir]).files, {}, createAnalyzer()).findings
    .filter((f) => f.file === path.join(dir, file)).map((f) => `${f.ruleId}:${f.line}`);

  it("reports a module-local factory's pool per request once, in the factory, and not again at its calls", () => {
    assert.deepEqual(findingsOf('src/mailer.ts'), ['connection-churn:3']);
  });

  it("reports an exported factory's pool per request of its own file once, in the factory, and another module's call at that call", () => {
    assert.deepEqual(findingsOf('src/shared-mailer.ts'), ['connection-churn:3']);
    assert.deepEqual(findingsOf('src/reminders.ts'), ['connection-churn:5']);
  });

  it("leaves to unclosed-connection a client per request whose teardown listener undoes its use but forgets its close", () => {
    assert.deepEqual(findingsOf('src/progress.ts'), ['unclosed-connection:5']);
  });

  it('reports only the churn of a client per request that the function ties to nothing', () => {
    assert.deepEqual(findingsOf('src/quiet-progress.ts'), ['connection-churn:5']);
  });

  it("keeps unclosed-connection's finding at a factory's call that leaves the client open, beside the factory's churn", () => {
    assert.deepEqual(findingsOf('src/search.ts'), ['connection-churn:3', 'unclosed-connection:14']);
  });
});
