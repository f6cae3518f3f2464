// unconsumed-response: a project helper that throws a response's body away whatever kind of body it is
// (`const body = res && res.body; if (!body) return; if (typeof body.cancel === 'function') { await
// body.cancel(); return } …; body.resume()`): a guard on the body (none at all, or one already ended) leaves
// nothing to read, so every path of the helper consumes what there is. A helper that only looks at the body
// (`res.body.readable`) consumes nothing. A status test is no guard for Node's own IncomingMessage: its socket goes
// back to the agent at the message's 'end', which takes a reader even for a 304.
import { InvalidCase, ValidCase } from '../../helpers/rule-tester';

/** A CommonJS download with node-fetch; `discard` is the body of the project helper in util/http.js. */
const download = (discard: string) => ({
  ext: '.js' as const,
  file: 'src/enrich/geoip.js',
  code: `
      'use strict';
      const fs = require('node:fs');
      const { pipeline } = require('node:stream/promises');
      const fetch = require('node-fetch');
      const { discard } = require('../util/http');
      async function refreshGeoDb({ url, path, etag }) {
        const res = await fetch(url, { headers: etag ? { 'if-none-match': etag } : {} });
        if (res.status === 304) {
          await discard(res);
          return false;
        }
        if (!res.ok) {
          await discard(res);
          throw new Error('geoip download failed: ' + res.status);
        }
        await pipeline(res.body, fs.createWriteStream(path));
        return true;
      }
      module.exports = { refreshGeoDb };`,
  files: {
    'src/util/http.js': `'use strict';
const { once } = require('node:events');
async function discard(res) {
${discard}
}
module.exports = { discard };
`,
  },
});

export const valid: ValidCase[] = [
  {
    name: 'a helper that cancels a WHATWG body or resumes a Node one, after guards on a missing or ended body',
    ...download(`  const body = res && res.body;
  if (!body) return;
  if (typeof body.cancel === 'function') {
    await body.cancel();
    return;
  }
  if (body.readableEnded || body.destroyed) return;
  body.resume();
  await once(body, 'end').catch(() => undefined);`),
  },
];

export const invalid: InvalidCase[] = [
  {
    name: 'a helper that only looks at the body: the 304 and error paths leave it unread',
    ...download(`  const body = res && res.body;
  if (!body) return;
  console.debug('discarding', body.readable);`),
    errors: [{ line: 7, messageId: 'somePaths' }],
  },
  {
    name: "a 304 from Node's own client left unread: the socket goes back to the agent only at the message's 'end'",
    ext: '.js',
    code: `
      const https = require('node:https');
      const agent = new https.Agent({ keepAlive: true, maxSockets: 1 });
      function pullSettings(url, etag, cached) {
        return new Promise((resolve, reject) => {
          const req = https.get(url, { agent, headers: { 'if-none-match': etag } }, (res) => {
            if (res.statusCode === 304) return resolve(cached);
            let body = '';
            res.setEncoding('utf8');
            res.on('data', (c) => { body += c; });
            res.on('end', () => resolve(JSON.parse(body)));
          });
          req.on('error', reject);
        });
      }
      module.exports = { pullSettings };`,
    errors: [{ line: 5, message: /not consumed or cancelled when the `return` on line 6 is taken/ }],
  },
];
