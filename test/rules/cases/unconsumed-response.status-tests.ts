// unconsumed-response: a status destructured beside an undici body (`const { statusCode, body } = await request(…)`)
// says when there is no body: a 204 answer leaves nothing to read, and its request has completed. A worker whose
// top-level loop (`while (!stopping) { try { await transcode(job) } catch … }`) goes on past each job's failure runs its
// steps again and again: a throw that leaves a streamed body unread there leaks once per failed job. node-fetch 3 called
// through the `import()` shim its README gives CommonJS code is node-fetch.
import { InvalidCase, ValidCase } from '../../helpers/rule-tester';

/** A check-in route programming a door code; `programmed` is the status test that skips reading the body. */
const CHECKIN = (programmed: string) => `
      import { request } from 'undici';
      export async function programDoorCode(hutId: number, code: string): Promise<boolean> {
        const { statusCode, body } = await request('http://locks.local/huts/' + hutId + '/codes', {
          method: 'PUT',
          body: JSON.stringify({ code }),
        });
        if (${programmed}) {
          return true;
        }
        const detail = await body.text();
        throw new Error('lock gateway ' + statusCode + ': ' + detail);
      }`;

/** A transcode worker's top-level job loop; `onFailure` is what its catch does. */
const WORKER = (onFailure: string) => `
      import { createWriteStream } from 'node:fs';
      import { pipeline } from 'node:stream/promises';
      import axios from 'axios';
      import { JobQueue } from './queue.mjs';
      async function fetchSource(url, dest) {
        const res = await axios.get(url, { responseType: 'stream', timeout: 30_000 });
        const type = String(res.headers['content-type'] ?? '');
        if (!type.startsWith('audio/')) throw new Error('source ' + url + ' is not audio');
        await pipeline(res.data, createWriteStream(dest));
      }
      async function transcode(job) {
        await fetchSource(job.sourceUrl, '/tmp/source-' + job.id);
      }
      const queue = new JobQueue();
      let stopping = false;
      process.on('message', (msg) => { if (msg === 'shutdown') stopping = true; });
      while (!stopping) {
        const job = await queue.next(5);
        if (!job) continue;
        try {
          await transcode(job);
        } catch (err) {
${onFailure}
        }
      }`;

export const valid: ValidCase[] = [
  {
    name: "an undici body left unread on its request's 204 No Content answer, tested on the destructured status",
    code: CHECKIN('statusCode === 204'),
  },
  {
    name: "the same worker whose loop ends the process when a job fails",
    ext: '.mjs',
    code: WORKER("          console.error(err);\n          process.exit(1);"),
    files: { 'queue.mjs': 'export class JobQueue { async next() { return null; } }\n' },
  },
];

export const invalid: InvalidCase[] = [
  {
    name: 'the same body left unread on a 200 answer, which has one',
    code: CHECKIN('statusCode === 200'),
    errors: [{ line: 3, message: /^The body of the response from `undici.request` is not consumed or cancelled when the `return` on line 8 is taken/ }],
  },
  {
    name: "a streamed axios body a worker's job step throws away unread, its top-level loop going on to the next job",
    ext: '.mjs',
    code: WORKER("          await queue.fail(job.id, err);"),
    files: { 'queue.mjs': 'export class JobQueue { async next() { return null; } async fail() {} }\n' },
    errors: [{ line: 6, message: /^The body of the response from `axios.get` is not consumed or cancelled when the `throw` on line 8 runs/ }],
  },
];

/**
 * node-fetch 3 from CommonJS, loaded as its README says (`const fetch = (...args) => import('node-fetch').then(({ default:
 * fetch }) => fetch(...args))`); `unchanged` is what the function does with a page it already has.
 */
const CATALOGUE = (shim: string, unchanged: string) => `
      'use strict';
      const fetch = ${shim};
      async function fetchCataloguePage(stall, page) {
        const res = await fetch(stall.baseUrl + '/catalogue?page=' + page);
        if (!res.ok) throw new Error('HTTP ' + res.status + ': ' + (await res.text()));
        if (page === 1 && res.headers.get('last-modified') === stall.lastModified) {
${unchanged}
          return { unchanged: true };
        }
        return { html: await res.text() };
      }
      module.exports = { fetchCataloguePage };`;

invalid.push({
  name: "a node-fetch 3 response through the CommonJS import() shim, its unchanged page's body left unread",
  ext: '.js',
  code: CATALOGUE("(...args) => import('node-fetch').then(({ default: f }) => f(...args))", '          console.debug(\'unchanged\');'),
  files: { 'package.json': '{ "name": "scraper", "dependencies": { "node-fetch": "^3.3.2" } }' },
  errors: [{ line: 4, message: /^The body of the response from `node-fetch` is not consumed or cancelled when the `return` on line 8 is taken/ }],
});

valid.push(
  {
    name: 'the same shim, the unchanged page cancelled',
    ext: '.js',
    code: CATALOGUE("(...args) => import('node-fetch').then(({ default: f }) => f(...args))", '          await res.body.cancel?.();\n          res.body.destroy?.();'),
    files: { 'package.json': '{ "name": "scraper", "dependencies": { "node-fetch": "^3.3.2" } }' },
  },
  {
    name: "a function that only logs before calling another: no forwarder of a module's export",
    ext: '.js',
    code: CATALOGUE("(...args) => import('node-fetch').then(({ default: f }) => { console.log(args[0]); return f; })", '          console.debug(\'unchanged\');'),
    files: { 'package.json': '{ "name": "scraper", "dependencies": { "node-fetch": "^3.3.2" } }' },
  },
);
