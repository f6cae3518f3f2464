// connection-churn: the catalog's per-request connection makers (proxy agents, http-proxy without an
// agent), beside the same libraries used with a shared agent.
import { InvalidCase, ValidCase } from '../../helpers/rule-tester';

export const invalid: InvalidCase[] = [
  {
    name: 'agent = false set on the options variable of every forwarded request',
    code: `
      const http = require('http');
      function toLocal(req, res, port) {
        const options = { host: '127.0.0.1', port, path: req.url, method: req.method, headers: req.headers };
        options.agent = false;
        const client = http.request(options, (up) => up.pipe(res));
        client.on('error', () => res.destroy());
        req.pipe(client);
      }
      http.createServer((req, res) => toLocal(req, res, 8899)).listen(8443);`,
    ext: '.js',
    errors: [{ line: 5, messageId: 'agentFalse' }],
  },
  {
    name: 'agent = false only when a client certificate is configured: those requests each open a new connection',
    code: `
      import https from 'node:https';
      export class CertClient {
        private agent = new https.Agent({ keepAlive: true });
        constructor(private base: { host: string; cert?: string; key?: string }) {}
        get(path: string, cb: (err: Error | null, status?: number) => void) {
          const opts: https.RequestOptions = { host: this.base.host, path, cert: this.base.cert, key: this.base.key, agent: this.agent };
          if (opts.cert && opts.key) opts.agent = false;
          const req = https.request(opts, (res) => { res.resume(); res.on('end', () => cb(null, res.statusCode)); });
          req.on('error', cb);
          req.end();
        }
      }`,
    errors: [{ line: 8, messageId: 'agentFalse' }],
  },
  {
    name: 'an agent in an options constant replaced on the TCP path before the one request: only the replacement is reported',
    code: `
      const https = require('https');
      const axios = require('axios');
      async function inspect(host) {
        const options = {
          url: '/containers/json',
          httpsAgent: new https.Agent({ maxCachedSessions: 0 }),
        };
        if (host.type === 'socket') {
          options.socketPath = host.daemon;
        } else {
          options.baseURL = host.daemon;
          options.httpsAgent = new https.Agent({ ca: host.ca });
        }
        const res = await axios.request(options);
        return res.data;
      }
      module.exports = { inspect };`,
    ext: '.js',
    errors: [{ line: 12, messageId: 'perCall' }],
  },
  {
    name: 'agents made per check inside an options constant, and one assigned onto it later, for the one axios.request(options)',
    code: `
      const http = require('http');
      const https = require('https');
      const axios = require('axios');
      async function beat(monitor) {
        const options = {
          url: monitor.url,
          timeout: 10000,
          httpAgent: new http.Agent({ keepAlive: false }),
        };
        if (monitor.tls) {
          options.httpsAgent = new https.Agent({ rejectUnauthorized: !monitor.ignoreTls });
        }
        const res = await axios.request(options);
        return res.status;
      }
      module.exports = { beat };`,
    ext: '.js',
    errors: [{ line: 8, messageId: 'perCall' }, { line: 11, messageId: 'perCall' }],
  },
  {
    name: 'a keep-alive agent of the URL\'s protocol per artifact upload, given to a got stream as `agent: { http: agent as http.Agent, https: agent as https.Agent }`',
    code: `
      import http from 'node:http';
      import https from 'node:https';
      import { createReadStream } from 'node:fs';
      import { pipeline } from 'node:stream/promises';
      import got from 'got';
      export async function uploadArtifact(file: string, url: string): Promise<void> {
        const mod = url.startsWith('https:') ? https : http;
        const agent = new mod.Agent({ keepAlive: true, maxSockets: 2 });
        const upload = got.stream.put(url, { agent: { http: agent as http.Agent, https: agent as https.Agent }, retry: { limit: 0 } });
        await pipeline(createReadStream(file), upload);
      }`,
    errors: [{ line: 8, messageId: 'perCall' }],
  },
  {
    name: "a new https.Agent per API call, given to got through agent: { https } and reused only by the call's retry attempts",
    code: `
      const https = require('https');
      const got = require('got');
      async function apiRequest(path, retries = 3) {
        const agent = new https.Agent({ keepAlive: true, maxSockets: 4 });
        for (let attempt = 0; ; attempt++) {
          const res = await got('https://api.example.com' + path, { agent: { https: agent }, throwHttpErrors: false, responseType: 'json' });
          if (res.statusCode === 429 && attempt < retries) continue;
          return res.body;
        }
      }
      module.exports = { apiRequest };`,
    ext: '.js',
    errors: [{ line: 4, messageId: 'perCall' }],
  },
  {
    name: 'a new SocksProxyAgent per forwarded request, given to the request through an options constant',
    code: `
      import * as http from 'http';
      import { SocksProxyAgent } from 'socks-proxy-agent';
      export function forward(req: http.IncomingMessage, res: http.ServerResponse, upstream: string) {
        const agent = new SocksProxyAgent(upstream);
        const options = { method: req.method, headers: req.headers, agent };
        const out = http.request(req.url!, options as unknown as http.RequestOptions, (r) => {
          res.writeHead(r.statusCode ?? 502, r.headers);
          r.pipe(res);
        });
        out.on('error', () => res.destroy());
        req.pipe(out);
      }`,
    errors: [{ line: 4, messageId: 'perCall' }],
  },
  {
    name: 'a non-pooled nodemailer SMTP transport per recipient',
    code: `
      import nodemailer from 'nodemailer';
      export async function notify(recipients: string[], text: string) {
        for (const to of recipients) {
          const transport = nodemailer.createTransport({ host: 'smtp.example.com', port: 587 });
          await transport.sendMail({ from: 'ci@example.com', to, subject: 'build', text });
        }
      }`,
    errors: [{ line: 4, messageId: 'smtpPerIteration' }],
  },
  {
    name: 'a per-call agent chosen over the shared one for subscribers with their own CA, used by each retry of one delivery',
    code: `
      import https from 'node:https';
      import fetch from 'node-fetch';
      const shared = new https.Agent({ keepAlive: true });
      export async function deliver(sub: { url: string; ca?: string }, body: string) {
        const agent = sub.ca ? new https.Agent({ ca: sub.ca, keepAlive: true }) : shared;
        for (let attempt = 0; attempt < 5; attempt++) {
          const res = await fetch(sub.url, { method: 'POST', body, agent });
          if (res.status >= 500) {
            await res.text();
            continue;
          }
          return res.status;
        }
        return 0;
      }`,
    errors: [{ line: 5, messageId: 'perCall' }],
  },
  {
    name: "a new https.Agent per call in got's per-protocol agent option",
    code: `
      import got from 'got';
      import { Agent } from 'https';
      export async function lookup(ip: string) {
        return got('https://geo.example/v1/' + ip, { agent: { https: new Agent({ keepAlive: true }) } }).json();
      }`,
    errors: [{ line: 4 }],
  },
  {
    name: "got's per-protocol agents in a const given to the one request of each call",
    code: `
      import got from 'got';
      import https from 'node:https';
      export async function cover(id: string) {
        const agent = { https: new https.Agent({ keepAlive: true }) };
        return got('https://covers.example/' + id + '.png', { agent, retry: { limit: 2 } }).buffer();
      }`,
    errors: [{ line: 4, messageId: 'perCall' }],
  },
  {
    name: 'a new HttpsProxyAgent per request',
    code: `
      import * as https from 'https';
      import { HttpsProxyAgent } from 'https-proxy-agent';
      export function get(url: string, proxy: string) {
        https.get(url, { agent: new HttpsProxyAgent(proxy) }, (res) => res.resume());
      }`,
    errors: [{ line: 4 }],
  },
  {
    name: 'a new ProxyAgent per fetch-like call of axios',
    code: `
      import axios from 'axios';
      import { ProxyAgent } from 'proxy-agent';
      export function call(url: string) {
        const agent = new ProxyAgent();
        return axios.get(url, { httpAgent: agent, httpsAgent: agent });
      }`,
    errors: [{ line: 4 }],
  },
  {
    name: 'http-proxy without an agent opens a new upstream connection per request',
    code: `
      import httpProxy from 'http-proxy';
      export const proxy = httpProxy.createProxyServer({ target: 'http://backend:8080' });`,
    errors: [{ line: 2 }],
  },
  {
    name: 'http-proxy made with no options at all, every proxy.web() giving a target and no agent',
    code: `
      const http = require('http');
      const httpProxy = require('http-proxy');
      const proxy = httpProxy.createProxyServer();
      http.createServer((req, res) => proxy.web(req, res, { target: 'http://backend:8080' })).listen(8000);`,
    ext: '.js',
    errors: [{ line: 3, message: /without an `agent` opens a new upstream connection for every proxied request/ }],
  },
  {
    name: 'http-proxy-middleware without an agent',
    code: `
      const { createProxyMiddleware } = require('http-proxy-middleware');
      module.exports = (app) => app.use('/api', createProxyMiddleware({ target: 'http://api:3000', changeOrigin: true }));`,
    ext: '.js',
    errors: [{ line: 2 }],
  },
  {
    name: 'an http-proxy server made per request with a keep-alive agent of its own: the agent is new for every request',
    code: `
      import http from 'node:http';
      import httpProxy from 'http-proxy';
      export function handleLegacy(req: http.IncomingMessage, res: http.ServerResponse, target: string): void {
        const proxy = httpProxy.createProxyServer({ target, agent: new http.Agent({ keepAlive: true, maxSockets: 32 }) });
        proxy.on('error', () => res.end());
        proxy.web(req, res);
      }`,
    errors: [{ line: 4, messageId: 'perCall', message: /on every call of `handleLegacy`/ }],
  },
  {
    name: "a keep-alive agent made for each proxied request and given to proxy.web(): the server's options have no agent, the call's do",
    code: `
      const https = require('node:https');
      const httpProxy = require('http-proxy');
      const proxy = httpProxy.createProxyServer({ changeOrigin: true });
      function proxyWithTenantCert(req, res, { target, tenant }) {
        const agent = new https.Agent({ keepAlive: true, cert: tenant.cert, key: tenant.key });
        proxy.web(req, res, { target, agent });
      }
      module.exports = { proxyWithTenantCert };`,
    ext: '.js',
    errors: [{ line: 5, messageId: 'perCall', message: /on every call of `proxyWithTenantCert`/ }],
  },
  {
    name: 'a keep-alive agent made in a polled route handler for two parallel requests through a helper: both connections are new on every poll',
    code: `
      import http from 'node:http';
      import { Router } from 'express';
      function getJson(path: string, agent: http.Agent): Promise<string> {
        return new Promise((resolve, reject) => {
          const req = http.get({ host: 'bridge.local', path, agent }, (res) => {
            let raw = '';
            res.on('data', (c) => { raw += c; });
            res.on('end', () => resolve(raw));
          });
          req.on('error', reject);
        });
      }
      export function devicesRouter(): Router {
        const router = Router();
        router.get('/', async (_req, res, next) => {
          const agent = new http.Agent({ keepAlive: true, maxSockets: 4 });
          try {
            const [lights, sensors] = await Promise.all([getJson('/lights', agent), getJson('/sensors', agent)]);
            res.json({ lights, sensors });
          } catch (err) {
            next(err);
          }
        });
        return router;
      }`,
    errors: [{ line: 16, messageId: 'perCallRequests' }],
  },
  {
    name: "a flow node's input handler that fills `var opts = {}` and gives got new hpagent proxy agents for every message",
    code: `
      const { HttpProxyAgent, HttpsProxyAgent } = require('hpagent');
      module.exports = async function (RED) {
        const { got } = await import('got');
        function HttpRequestNode(config) {
          this.on('input', (msg, send, done) => {
            var opts = {};
            opts.method = msg.method || 'GET';
            const proxyOptions = { proxy: msg.proxy, maxSockets: 256, keepAlive: true };
            opts.agent = {
              http: new HttpProxyAgent(proxyOptions),
              https: new HttpsProxyAgent(proxyOptions),
            };
            got(msg.url, opts).then((res) => { send({ payload: res.body }); done(); }, done);
          });
        }
        RED.nodes.registerType('http request', HttpRequestNode);
      };`,
    ext: '.js',
    errors: [{ line: 10 }, { line: 11 }],
  },
  {
    name: "a keep-alive agent of either protocol made for each frame a worker loop uploads with got (`agent: secure ? { https: agent } : { http: agent }`): reported once",
    code: `
      import http from 'node:http';
      import https from 'node:https';
      import got from 'got';
      export async function uploadFrames(store: string, frames: Array<{ name: string; body: Buffer }>): Promise<void> {
        for (const frame of frames) {
          const secure = store.startsWith('https:');
          const agent = secure ? new https.Agent({ keepAlive: true }) : new http.Agent({ keepAlive: true });
          await got.put(\`\${store}/frames/\${frame.name}\`, { body: frame.body, agent: secure ? { https: agent as https.Agent } : { http: agent } });
        }
      }`,
    errors: [{ line: 7, messageId: 'perIteration' }],
  },
];

export const valid: ValidCase[] = [
  {
    name: "http-proxy made with no options whose proxy.web() takes each route's options from configuration: they may bring an agent",
    code: `
      const httpProxy = require('http-proxy');
      const proxy = httpProxy.createProxyServer();
      module.exports = (routes) => (req, res, next) => {
        const route = routes.find((r) => req.url.startsWith(r.prefix));
        if (!route) return next();
        proxy.web(req, res, route.options, next);
      };`,
    ext: '.js',
  },
  {
    name: 'an agent a named function makes for three requests of one job: one keep-alive pool for the job, not for every request',
    code: `
      import http from 'node:http';
      function getJson(path: string, agent: http.Agent): Promise<string> {
        return new Promise((resolve, reject) => {
          const req = http.get({ host: 'bridge.local', path, agent }, (res) => {
            let raw = '';
            res.on('data', (c) => { raw += c; });
            res.on('end', () => resolve(raw));
          });
          req.on('error', reject);
        });
      }
      export async function exportAll(): Promise<string[]> {
        const agent = new http.Agent({ keepAlive: true });
        try {
          return [await getJson('/a', agent), await getJson('/b', agent), await getJson('/c', agent)];
        } finally {
          agent.destroy();
        }
      }`,
  },
  {
    name: 'one http-proxy server with its keep-alive agent, made when the module loads and used for every request',
    code: `
      import http from 'node:http';
      import httpProxy from 'http-proxy';
      const proxy = httpProxy.createProxyServer({ target: 'http://legacy:8080', agent: new http.Agent({ keepAlive: true }) });
      export function handleLegacy(req: http.IncomingMessage, res: http.ServerResponse): void {
        proxy.web(req, res);
      }`,
  },
  {
    name: "axios's httpAgent beside the httpsAgent for a constant https:// URL: axios never uses it, so it opens nothing",
    code: `
      const http = require('http');
      const https = require('https');
      const axios = require('axios');
      const shared = new https.Agent({ keepAlive: true });
      async function check(key) {
        const res = await axios.get('https://api.steampowered.com/ISteamApps/GetServersAtAddress/v1/', {
          params: { key },
          httpsAgent: shared,
          httpAgent: new http.Agent({ maxCachedSessions: 0 }),
        });
        return res.data;
      }
      module.exports = { check };`,
    ext: '.js',
  },
  {
    name: 'a proxy agent per call whose options object is handed to two requests (its connections may be reused)',
    code: `
      import * as http from 'http';
      import { SocksProxyAgent } from 'socks-proxy-agent';
      export function both(a: string, b: string, upstream: string) {
        const agent = new SocksProxyAgent(upstream);
        const options = { agent };
        http.get(a, options, (r) => r.resume());
        http.get(b, options, (r) => r.resume());
      }`,
  },
  {
    name: 'one pooled nodemailer transport for the whole loop, and a JSON transport made per item',
    code: `
      import nodemailer from 'nodemailer';
      export async function notify(recipients: string[], text: string) {
        const transport = nodemailer.createTransport({ host: 'smtp.example.com', port: 587, pool: true });
        try {
          for (const to of recipients) await transport.sendMail({ from: 'ci@example.com', to, subject: 'build', text });
        } finally {
          transport.close();
        }
        for (const to of recipients) {
          const preview = nodemailer.createTransport({ jsonTransport: true });
          await preview.sendMail({ to, text });
        }
      }`,
  },
  {
    name: 'one proxy agent at module level, shared by every request',
    code: `
      import * as https from 'https';
      import { HttpsProxyAgent } from 'https-proxy-agent';
      const agent = new HttpsProxyAgent(process.env.HTTPS_PROXY ?? 'http://proxy:3128', { keepAlive: true });
      export function get(url: string) {
        https.get(url, { agent }, (res) => res.resume());
      }`,
  },
  {
    name: 'http-proxy given a keep-alive agent',
    code: `
      import * as http from 'http';
      import httpProxy from 'http-proxy';
      export const proxy = httpProxy.createProxyServer({ target: 'http://backend:8080', agent: new http.Agent({ keepAlive: true }) });`,
  },
  {
    name: 'http-proxy-middleware with options built elsewhere (unknown: silence)',
    code: `
      const { createProxyMiddleware } = require('http-proxy-middleware');
      const options = require('./proxy-options');
      module.exports = (app) => app.use('/api', createProxyMiddleware(options));`,
    ext: '.js',
  },
  {
    name: 'an agent per call shared by a batch of requests in a loop (not a retry loop)',
    code: `
      const https = require('https');
      const got = require('got');
      async function fetchAll(paths) {
        const agent = new https.Agent({ keepAlive: true });
        const out = [];
        for (const path of paths) {
          out.push(await got('https://api.example.com' + path, { agent: { https: agent } }).json());
        }
        agent.destroy();
        return out;
      }
      module.exports = { fetchAll };`,
    ext: '.js',
  },
];
