// unconsumed-response: a response callback run from the request's 'response' event, whose `throw` is
// an uncaught exception that ends the process (no path on which the body is left unread), beside the
// look-alikes that leave it unread: a `return`, and an async callback's throw (an unhandled rejection);
// and a callback that takes no response but destroys its request (which destroys the response too); a
// request also kept in a field (`var req = this._req = http.request(o)`) whose 'response' listener hands
// the response on one branch and leaves it unread on the other; follow-redirects' `https.get`, Node's own API
// with the last hop's IncomingMessage, its non-200 answer rejected unread beside one drained first. A request
// chosen between https and http (`secure ? https.request(u) : http.request(u)`) is reported where it is chosen.
import { InvalidCase, ValidCase } from '../../helpers/rule-tester';

/** An upload streamed into a PUT request; the response callback rejects a non-200 answer; `more` is added after the error listener. */
function streamedUpload(more: string): string {
  return `
      import https from 'node:https';
      import type { Readable } from 'node:stream';
      const agent = new https.Agent({ keepAlive: true, maxSockets: 32 });
      export function putObject(url: URL, body: Readable): Promise<string> {
        return new Promise((resolve, reject) => {
          const req = https.request(url, { method: 'PUT', agent }, (res) => {
            if (res.statusCode !== 200) {
              reject(new Error(\`storage answered \${res.statusCode}\`));
              return;
            }
            res.resume();
            res.on('end', () => resolve(String(res.headers.etag ?? '')));
          });
          req.on('error', reject);
${more}
          body.pipe(req);
        });
      }`;
}

/** A webhook delivery whose 'response' listener runs `retry` on a 5xx answer before its attempts run out. */
function webhookDelivery(retry: string): string {
  return `
      var http = require('http');
      var https = require('https');
      function deliver(hook, body, attempt, callback) {
        var transport = hook.url.startsWith('https:') ? https : http;
        var req = transport.request(hook.url, { method: 'POST' });
        req.on('response', function (res) {
          if (res.statusCode >= 500 && attempt < 5) {
${retry}          }
          res.resume();
          res.on('end', function () { callback(null, res.statusCode); });
        });
        req.on('error', callback);
        req.end(body);
      }
      module.exports = { deliver: deliver };`;
}

/** A binary download through follow-redirects; `onError` runs on a non-200 answer before the rejection. */
function redirectedDownload(onError: string): string {
  return `
      const { https } = require('follow-redirects');
      const fs = require('node:fs');
      function download(url, dest) {
        return new Promise((resolve, reject) => {
          https.get(url, { maxRedirects: 2 }, (response) => {
            if (response.statusCode !== 200) {
${onError}
              reject(new Error('status ' + response.statusCode));
              return;
            }
            const file = fs.createWriteStream(dest);
            response.pipe(file);
            file.on('finish', () => resolve(dest));
            file.on('error', reject);
          }).on('error', reject);
        });
      }
      module.exports = { download };`;
}

export const invalid: InvalidCase[] = [
  {
    name: "follow-redirects' https.get whose non-200 answer is rejected unread",
    code: redirectedDownload(''),
    ext: '.js',
    errors: [{ line: 5, message: /^The body of the response from `https\.get` is not consumed or cancelled when the `return` on line 9 is taken/ }],
  },
  {
    name: "a webhook's 5xx answer left unread while the function schedules itself again (setTimeout(deliver, ms, …)): the retry makes a request of its own",
    code: webhookDelivery('            return setTimeout(deliver, 1000 * attempt, hook, body, attempt + 1, callback);\n'),
    ext: '.js',
    errors: [{ line: 5, message: /`return` on line 8/ }],
  },
  {
    name: "a response callback whose bad status returns without reading (a return, not an uncaught throw)",
    code: `
      const https = require('https');
      https.get({ host: 'ifconfig.me', path: '/' }, (res) => {
        if (res.statusCode !== 200) return console.error('proxy not working');
        res.pipe(process.stdout);
      });`,
    ext: '.js',
    errors: [{ line: 2 }],
  },
  {
    name: "an async response callback that throws on a bad status: an unhandled rejection, which a server may survive",
    code: `
      const https = require('https');
      https.get({ host: 'ifconfig.me', path: '/' }, async (res) => {
        if (res.statusCode !== 200) throw new Error('proxy not working');
        res.pipe(process.stdout);
      });`,
    ext: '.js',
    errors: [{ line: 2 }],
  },
  {
    name: "an image proxy whose non-200 branch ends the browser's response: the upstream destroy in res 'close' runs only if the browser went away first",
    code: `
      import http from 'node:http';
      const agent = new http.Agent({ keepAlive: true });
      export function proxyImage(res: http.ServerResponse, src: URL): void {
        const upstream = http.get(src, { agent }, (up) => {
          if (up.statusCode !== 200) {
            res.writeHead(502);
            res.end();
            return;
          }
          up.pipe(res);
        });
        upstream.on('error', () => res.end());
        res.on('close', () => {
          if (!res.writableFinished) upstream.destroy();
        });
      }`,
    errors: [{ line: 4 }],
  },
  {
    name: "a request also kept in a field whose 'response' listener leaves a non-101 answer unread when nobody listens for it",
    code: `
      var http = require('http');
      function Client() {}
      Client.prototype.connect = function (opts) {
        var self = this;
        var req = this._req = http.request(opts);
        req.on('response', function (response) {
          self._req = null;
          if (self.listenerCount('httpResponse') > 0) {
            self.emit('httpResponse', response, self);
          } else {
            self.failHandshake('Server responded with a non-101 status: ' + response.statusCode);
          }
        });
        req.end();
      };
      module.exports = Client;`,
    ext: '.js',
    errors: [{ line: 6, message: /not consumed or cancelled when the function ends \(line 13\)/ }],
  },
  {
    name: "a non-200 answer to an upload rejected unread, whose upload stream's 'error' listener destroys the request: no error comes of an unread response",
    code: streamedUpload(`          body.on('error', (err) => req.destroy(err));`),
    errors: [{ line: 6, message: /when the `return` on line 9 is taken/ }],
  },
  {
    name: 'on("response") handler of a request chosen between https and http: reported where it is chosen',
    code: `
      import * as http from 'http';
      import * as https from 'https';
      export function relay(target: URL, raw: Buffer) {
        const req = target.protocol === 'https:'
          ? https.request(target, { method: 'POST' })
          : http.request(target, { method: 'POST' });
        req.on('response', (res) => {
          if ((res.statusCode ?? 500) >= 300) console.warn(res.statusCode);
        });
        req.on('error', (err) => console.warn(err.message));
        req.end(raw);
      }`,
    errors: [{ line: 4 }],
  },
];

export const valid: ValidCase[] = [
  {
    name: "follow-redirects' https.get whose non-200 answer is drained before the rejection",
    code: redirectedDownload('              response.resume();'),
    ext: '.js',
  },
  {
    name: "the same retry after reading the 5xx answer away",
    code: webhookDelivery('            res.resume();\n            return setTimeout(deliver, 1000 * attempt, hook, body, attempt + 1, callback);\n'),
    ext: '.js',
  },
  {
    name: "a response callback calling a project function that may throw before reading the body: thrown there, it is an uncaught exception and the process ends",
    code: `
      const https = require('https');
      const utils = require('./utils');
      function metadata(options, callback) {
        https.get(options, (res) => {
          utils.log('verbose', 'connected with ' + res.socket.getProtocol());
          let data = '';
          res.on('data', (c) => { data += c; });
          res.on('end', () => callback(null, data));
        }).on('error', callback);
      }
      module.exports = { metadata };`,
    ext: '.js',
    files: { 'utils.js': "function log(type, info) {\n  if (!this.logEmitter) throw new Error('Log emitter not defined');\n  this.logEmitter('log', type, info);\n}\nmodule.exports = { log };\n" },
  },
  {
    name: "a response callback that throws on a bad status: an uncaught exception ends the process",
    code: `
      const https = require('https');
      https.get({ host: 'ifconfig.me', path: '/' }, (res) => {
        if (res.statusCode !== 200) throw new Error('proxy not working');
        res.pipe(process.stdout);
      });`,
    ext: '.js',
  },
  {
    name: 'a response callback without a parameter that destroys (or aborts) the request: the response goes with it',
    code: `
      const http = require('http');
      const agent = new http.Agent({ keepAlive: true, maxSockets: 2 });
      function probe(port, path) {
        const req = http.get({ port, agent, path }, () => {
          req.abort();
        });
        const other = http.get({ port, agent, path }, () => other.destroy());
      }
      module.exports = { probe };`,
    ext: '.js',
  },
  {
    name: "a response callback that only throws (the test's server never answers that route): an uncaught exception if it ever runs",
    code: `
      const http = require('http');
      it('times out on a route that never answers', (done) => {
        const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
        http.get({ agent, port: 9, path: '/hang' }, () => {
          throw new Error('the server never answers /hang');
        }).on('error', () => done());
      });`,
    ext: '.js',
    file: 'test/hang.test.js',
  },
  {
    name: "a long-lived event stream read line by line with readline: the interface reads the response to its end",
    code: `
      import http from 'node:http';
      import readline from 'node:readline';
      export function watchEvents(socketPath: string, onEvent: (e: unknown) => void, restart: () => void): http.ClientRequest {
        const req = http.get({ socketPath, path: '/events' });
        req.on('response', (res) => {
          const rl = readline.createInterface({ input: res });
          rl.on('line', (line) => onEvent(JSON.parse(line)));
          res.on('end', restart);
        });
        return req;
      }`,
  },
  {
    name: "a 'response' listener that gives up through a helper aborting the request it is given: that destroys the response too",
    code: `
      var https = require('https');
      function abortHandshake(client, req, message) {
        req.abort();
        if (req.socket && !req.socket.destroyed) req.socket.destroy();
        process.nextTick(() => client.emit('error', new Error(message)));
      }
      function connect(client, opts) {
        var req = client._req = https.request(opts);
        req.on('response', function (res) {
          if (++client.redirects > 10) {
            abortHandshake(client, req, 'Maximum redirects exceeded');
            return;
          }
          res.resume();
        });
        req.end();
      }
      module.exports = { connect };`,
    ext: '.js',
  },
  {
    name: "an http.Agent's addRequest() that logs the status of the caller's response: the caller owns it",
    code: `
      import * as http from 'node:http';
      import * as net from 'node:net';
      export class ProxyAgent extends http.Agent {
        constructor(private readonly proxy: { host: string; port: number }) { super(); }
        addRequest(request: http.ClientRequest, options: http.RequestOptions): void {
          request.on('error', (error) => console.error('request error', error));
          request.once('response', (response: http.IncomingMessage) => {
            console.debug('proxied response', response.statusCode);
          });
          request.shouldKeepAlive = false;
          request.onSocket(net.connect(this.proxy.port, this.proxy.host));
        }
      }`,
  },
  {
    name: 'the same upload whose give-up timer destroys the request once the answer is in: the unread response goes with it',
    code: streamedUpload(`          setTimeout(() => req.destroy(new Error('upload took too long')), 120_000);`),
  },
];
