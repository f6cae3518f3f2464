// unconsumed-response: responses handed to `resolve` of a promise written inline, reported on the request
// that makes them; a timer that would destroy the request, cleared by the response callback, releases nothing.
import { InvalidCase } from '../../helpers/rule-tester';

export const invalid: InvalidCase[] = [
  {
    name: 'an inline promise of https.get spread over lines, retried on 5xx unread: reported on the request, not on the promise',
    code: `
      const https = require('https');
      async function statusOf(url, agent) {
        for (let attempt = 0; attempt < 3; attempt++) {
          const res = await new Promise((resolve, reject) => {
            const req = https.get(url, { agent }, resolve);
            req.on('error', reject);
          });
          if (res.statusCode >= 500) continue;
          res.resume();
          return res.statusCode;
        }
        return 0;
      }
      module.exports = { statusOf };`,
    ext: '.js',
    errors: [{ line: 5, message: /response from `https\.get` is not consumed or cancelled before the next loop iteration/ }],
  },
  {
    name: 'the same timer kept in a let assigned after the request: cleared in the callback, it releases nothing either',
    code: `
      const http = require('http');
      function probe(url, timeoutMs) {
        return new Promise((resolve) => {
          let timer = null;
          const req = http.get(url, (res) => {
            clearTimeout(timer);
            resolve(res.statusCode < 500);
          });
          timer = setTimeout(() => req.destroy(new Error('probe timed out')), timeoutMs);
          req.on('error', () => { clearTimeout(timer); resolve(false); });
        });
      }
      module.exports = { probe };`,
    ext: '.js',
    errors: [{ line: 5, messageId: 'never' }],
  },
];
