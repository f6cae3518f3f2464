// unconsumed-response: a project helper that throws a response's body away whatever kind of body it is
// (`const body = res && res.body; if (!body) return; if (typeof body.cancel === 'function') { await
// body.cancel(); return } …; body.resume()`): a guard on the body (none at all, or one already ended) leaves
// nothing to read, so every path of the helper consumes what there is. A helper that only looks at the body
// (`res.body.readable`) consumes nothing.
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
];
