import { RuleTester } from '../helpers/rule-tester';
import * as recall from './cases/connection-churn.recall';
import * as consequences from './cases/connection-churn.consequences';
import * as rates from './cases/connection-churn.rates';
import * as sharedClients from './cases/connection-churn.shared-clients';
import * as serverlessClients from './cases/connection-churn.serverless-clients';
import * as factories from './cases/connection-churn.factories';
import * as dispatcherMethods from './cases/connection-churn.dispatcher-methods';
import * as requestState from './cases/connection-churn.request-state';
import * as smtp from './cases/connection-churn.smtp';
import * as routeHandlers from './cases/connection-churn.route-handlers';
import * as routeObjects from './cases/connection-churn.route-objects';
import * as projectCallers from './cases/connection-churn.project-callers';
import * as wreck from './cases/connection-churn.wreck';
import * as sessionsPerServer from './cases/connection-churn.sessions-per-server';
import * as oneShotSockets from './cases/connection-churn.one-shot-sockets';
import * as pollers from './cases/connection-churn.pollers';
import * as factoryProducts from './cases/connection-churn.factory-products';
import * as defaultAgents from './cases/connection-churn.default-agents';
import * as namedListeners from './cases/connection-churn.named-listeners';
import * as wrapperClients from './cases/connection-churn.wrapper-clients';
import * as spreadOptions from './cases/connection-churn.spread-options';
import * as nodeFetchClose from './cases/connection-churn.node-fetch-close';
import * as healthProbes from './cases/connection-churn.health-probes';
import * as channelBatches from './cases/connection-churn.channel-batches';
import * as consumers from './cases/connection-churn.consumers';
import * as perEventCallers from './cases/connection-churn.per-event-callers';
import * as sharedKinds from './cases/connection-churn.shared-kinds';
import * as rareCallers from './cases/connection-churn.rare-callers';
import * as registeringFunctions from './cases/connection-churn.registering-functions';

new RuleTester().run('connection-churn', {
  valid: [
    ...consumers.valid,
    ...perEventCallers.valid,
    ...sharedKinds.valid,
    ...rareCallers.valid,
    ...registeringFunctions.valid,
    {
      name: 'the same got instance handed to the caller: it may make many requests through its agent',
      ext: '.js',
      code: `
        const https = require('node:https');
        const got = require('got');
        function caseClient(cookie) {
          const client = got.extend({ agent: { https: new https.Agent({ keepAlive: true }) }, headers: { cookie } });
          return client;
        }
        module.exports = { caseClient };`,
    },
    ...routeHandlers.valid,
    ...routeObjects.valid,
    ...sessionsPerServer.valid,
    ...wreck.valid,
    ...projectCallers.valid,
    ...rates.valid,
    ...recall.valid,
    ...consequences.valid,
    ...sharedClients.valid,
    ...serverlessClients.valid,
    ...factories.valid,
    ...dispatcherMethods.valid,
    ...requestState.valid,
    ...smtp.valid,
    ...oneShotSockets.valid,
    ...pollers.valid,
    ...factoryProducts.valid,
    ...defaultAgents.valid,
    ...namedListeners.valid,
    ...wrapperClients.valid,
    ...spreadOptions.valid,
    ...nodeFetchClose.valid,
    ...healthProbes.valid,
    ...channelBatches.valid,
    {
      name: 'Connection: close from a one-shot server (a CLI login callback) that closes itself after its answer',
      code: `
        import * as http from 'node:http';
        export function waitForCode(): Promise<string> {
          return new Promise((resolve) => {
            const server = http.createServer((req, res) => {
              res.writeHead(200, { 'content-type': 'text/html', connection: 'close' });
              res.end('You can close this tab.');
              server.close();
              resolve(new URL(req.url ?? '/', 'http://127.0.0.1').searchParams.get('code') ?? '');
            });
            server.listen(0, '127.0.0.1');
          });
        }`,
    },
    {
      name: 'one module-level keep-alive agent reused by every request',
      code: `
        import * as http from 'http';
        const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
        export function ping(path: string) {
          http.get({ host: 'users.internal', path, agent }, (res) => res.resume());
        }`,
    },
    {
      name: 'the default global agent',
      code: `
        import https from 'https';
        export function ping() {
          https.get('https://api.example.com/health', (res) => res.resume());
        }`,
    },
    {
      name: 'an agent owned by a class field',
      code: `
        import { Agent, request } from 'undici';
        export class Api {
          private dispatcher: Agent;
          constructor() {
            this.dispatcher = new Agent({ keepAliveTimeout: 10_000 });
          }
          get(url: string) {
            return request(url, { dispatcher: this.dispatcher });
          }
        }`,
    },
    {
      name: 'a factory that returns the agent',
      code: `
        import * as https from 'https';
        export function makeAgent(ca: string) {
          return new https.Agent({ keepAlive: true, ca });
        }`,
    },
    {
      name: 'an agent created once and reused in a loop',
      code: `
        import { Agent } from 'undici';
        export async function crawl(urls: string[]) {
          const dispatcher = new Agent({ connections: 8 });
          for (const url of urls) {
            const res = await fetch(url, { dispatcher } as RequestInit);
            await res.text();
          }
          await dispatcher.close();
        }`,
    },
    {
      name: 'an axios instance with its own agent, created once at module level',
      code: `
        import axios from 'axios';
        import * as https from 'https';
        export const api = axios.create({ baseURL: 'https://api', httpsAgent: new https.Agent({ keepAlive: true }) });`,
    },
    {
      name: 'keepAlive: false without a finite maxSockets (the server closes first)',
      code: `
        import * as http from 'http';
        export const agent = new http.Agent({ keepAlive: false });`,
    },
    {
      name: "keepAlive true unless the caller turns it off (`options.keepAlive ?? true`), with a finite maxSockets",
      code: `
        import * as http from 'http';
        export const makeAgent = (options: { keepAlive?: boolean }) => new http.Agent({ keepAlive: options.keepAlive ?? true, maxSockets: 8 });`,
    },
    {
      name: 'keepAlive: false with maxSockets: Infinity',
      code: `
        import * as http from 'http';
        export const agent = new http.Agent({ keepAlive: false, maxSockets: Infinity });`,
    },
    {
      name: 'Connection: keep-alive and a conditional close on the server',
      code: `
        import * as http from 'http';
        http.createServer((req, res) => {
          if (req.headers['x-drain'] === '1') {
            res.setHeader('Connection', 'close');
          }
          res.setHeader('Connection', 'keep-alive');
          res.end('ok');
        }).listen(8080);`,
    },
    {
      name: "a test's server answering Connection: close on purpose (the test checks the client reconnects)",
      code: `
        import * as http from 'http';
        import { once } from 'events';
        it('does not reuse a closed connection', async () => {
          const server = http.createServer((req, res) => {
            res.setHeader('connection', 'close');
            res.end('ok');
          });
          server.listen(0);
          await once(server, 'listening');
          server.close();
        });`,
      file: 'test/agent-connection-management.test.ts',
    },
    {
      name: 'an agent stored in a cache map',
      code: `
        import * as http from 'http';
        const agents = new Map<string, http.Agent>();
        export function agentFor(host: string) {
          let a = agents.get(host);
          if (!a) {
            a = new http.Agent({ keepAlive: true });
            agents.set(host, a);
          }
          return a;
        }`,
    },
    {
      name: 'agent: false on a library option we do not know',
      code: `
        import { connect } from 'some-mq';
        export function open() {
          return connect({ url: 'amqp://', agent: false });
        }`,
    },
    {
      name: 'keepAliveTimeout = 0 keeps idle connections open (it disables the idle timeout)',
      code: `
        import * as http from 'http';
        const server = http.createServer((req, res) => res.end());
        server.keepAliveTimeout = 0;
        server.listen(8080);`,
    },
  ],
  invalid: [
    ...consumers.invalid,
    ...perEventCallers.invalid,
    ...sharedKinds.invalid,
    ...rareCallers.invalid,
    ...registeringFunctions.invalid,
    ...routeHandlers.invalid,
    ...routeObjects.invalid,
    ...sessionsPerServer.invalid,
    ...wreck.invalid,
    ...projectCallers.invalid,
    ...rates.invalid,
    ...recall.invalid,
    ...consequences.invalid,
    ...sharedClients.invalid,
    ...serverlessClients.invalid,
    ...factories.invalid,
    ...dispatcherMethods.invalid,
    ...requestState.invalid,
    ...smtp.invalid,
    ...channelBatches.invalid,
    ...oneShotSockets.invalid,
    ...pollers.invalid,
    ...factoryProducts.invalid,
    ...defaultAgents.invalid,
    ...namedListeners.invalid,
    ...wrapperClients.invalid,
    ...spreadOptions.invalid,
    ...nodeFetchClose.invalid,
    ...healthProbes.invalid,
    {
      name: 'agent: false',
      code: `
        import * as http from 'http';
        export function ping(path: string) {
          http.get({ host: 'users.internal', path, agent: false }, (res) => res.resume());
        }`,
      errors: [{ line: 3, messageId: 'agentFalse' }],
    },
    {
      name: 'fetch with a new undici Agent per call, hoisted by the fix',
      code: `
        import { Agent } from 'undici';
        export async function getJson(url: string) {
          const res = await fetch(url, { dispatcher: new Agent() } as RequestInit);
          return res.json();
        }`,
      errors: [{ line: 3, messageId: 'perCall' }],
      output: `
        import { Agent } from 'undici';
        const sharedAgent = new Agent();

        export async function getJson(url: string) {
          const res = await fetch(url, { dispatcher: sharedAgent } as RequestInit);
          return res.json();
        }`,
    },
    {
      name: 'axios request with an https.Agent per call',
      code: `
        import axios from 'axios';
        import * as https from 'https';
        export async function getInsecure(url: string) {
          return axios.get(url, { httpsAgent: new https.Agent({ rejectUnauthorized: false }) });
        }`,
      errors: [{ line: 4, messageId: 'perCall' }],
      output: `
        import axios from 'axios';
        import * as https from 'https';
        const sharedAgent = new https.Agent({ keepAlive: true, rejectUnauthorized: false });

        export async function getInsecure(url: string) {
          return axios.get(url, { httpsAgent: sharedAgent });
        }`,
    },
    {
      name: 'an agent per request, closed after one use',
      code: `
        import { Agent, request } from 'undici';
        export async function once(url: string) {
          const agent = new Agent({ connections: 1 });
          try {
            const { body } = await request(url, { dispatcher: agent });
            return await body.text();
          } finally {
            await agent.close();
          }
        }`,
      errors: [{ line: 3, messageId: 'perCall' }],
    },
    {
      name: 'an http.Agent per loop iteration',
      code: `
        const http = require('http');
        for (const host of ['a', 'b', 'c']) {
          const agent = new http.Agent({ keepAlive: true });
          http.get({ host, path: '/', agent }, (res) => res.resume());
        }`,
      ext: '.js',
      errors: [{ line: 3, messageId: 'perIteration' }],
    },
    {
      name: 'an express handler that builds an agent per request',
      code: `
        import express from 'express';
        import * as http from 'http';
        const app = express();
        app.get('/proxy', (req: any, res: any) => {
          http.get({ host: 'backend', path: req.url, agent: new http.Agent({ keepAlive: true }) }, (up) => up.pipe(res));
        });
        app.listen(3000);`,
      errors: [{ line: 5, messageId: 'perCall' }],
      output: `
        import express from 'express';
        import * as http from 'http';
        const app = express();
        const sharedAgent = new http.Agent({ keepAlive: true });

        app.get('/proxy', (req: any, res: any) => {
          http.get({ host: 'backend', path: req.url, agent: sharedAgent }, (up) => up.pipe(res));
        });
        app.listen(3000);`,
    },
    {
      name: 'keepAlive: false with a finite maxSockets',
      code: `
        import * as https from 'https';
        export const agent = new https.Agent({ keepAlive: false, maxSockets: 10 });`,
      errors: [{ line: 2, messageId: 'keepAliveOff' }],
      output: `
        import * as https from 'https';
        export const agent = new https.Agent({ keepAlive: true, maxSockets: 10 });`,
    },
    {
      name: "keepAlive false unless the transport's caller sets it, with a finite maxSockets (a telemetry transport's shared agent)",
      code: `
        import * as https from 'https';
        export function makeTransport(options: { keepAlive?: boolean; url: string }) {
          const keepAlive = options.keepAlive === undefined ? false : options.keepAlive;
          const agent = new https.Agent({ keepAlive, maxSockets: 30, timeout: 2000 });
          return (body: string) => https.request(options.url, { method: 'POST', agent }, (res) => res.resume()).end(body);
        }`,
      errors: [{ line: 4, messageId: 'keepAliveOffByDefault' }],
    },
    {
      name: 'a Connection: close request header',
      code: `
        import * as http from 'http';
        export function post(body: string) {
          const req = http.request({ host: 'api', method: 'POST', headers: { Connection: 'close' } }, (res) => res.resume());
          req.end(body);
        }`,
      errors: [{ line: 3, messageId: 'requestClose' }],
    },
    {
      name: 'fetch with connection: close',
      code: `
        export async function health(url: string) {
          const res = await fetch(url, { headers: { 'connection': 'close' } });
          return res.status;
        }`,
      errors: [{ line: 2, messageId: 'requestClose' }],
    },
    {
      name: 'req.setHeader on a client request',
      code: `
        import * as https from 'https';
        export function send() {
          const req = https.request('https://collector/ingest', { method: 'POST' });
          req.setHeader('Connection', 'close');
          req.end('x');
        }`,
      errors: [{ line: 4, messageId: 'requestClose' }],
    },
    {
      name: 'Connection: close on every response of an http server',
      code: `
        import * as http from 'http';
        http.createServer((req, res) => {
          res.setHeader('Connection', 'close');
          res.end('ok');
        }).listen(8080);`,
      errors: [{ line: 3, messageId: 'responseClose' }],
    },
    {
      name: 'writeHead with Connection: close in an express handler',
      code: `
        import express from 'express';
        const app = express();
        app.get('/', (req: any, res: any) => {
          res.writeHead(200, { 'Content-Type': 'text/plain', Connection: 'close' });
          res.end('hi');
        });`,
      errors: [{ line: 4, messageId: 'responseClose' }],
    },
    {
      name: 'a per-call axios instance with its own agent',
      code: `
        import axios from 'axios';
        import * as https from 'https';
        export async function fetchReport(id: string) {
          const client = axios.create({ baseURL: 'https://reports', httpsAgent: new https.Agent({ keepAlive: true }) });
          const r = await client.get('/r/' + id);
          return r.data;
        }`,
      errors: [{ line: 4, messageId: 'perCall' }],
    },
    {
      name: 'a keep-alive agent per request in a const, given to an http-proxy server made for that request and dropped',
      code: `
        import http from 'node:http';
        import httpProxy from 'http-proxy';
        export function route(req: http.IncomingMessage, res: http.ServerResponse, ip: string) {
          const agent = new http.Agent({ keepAlive: true, maxSockets: 8 });
          const proxy = httpProxy.createProxyServer({ target: 'http://' + ip + ':3000', agent, xfwd: true });
          proxy.on('error', () => res.end('preview container is not answering'));
          proxy.web(req, res);
        }`,
      errors: [{ line: 4, messageId: 'perCall' }],
    },
    {
      name: 'the same per-call axios instance, given a request interceptor before its one request',
      code: `
        import axios from 'axios';
        import * as https from 'https';
        export async function track(id: string, key: string) {
          const api = axios.create({ baseURL: 'https://carrier', httpsAgent: new https.Agent({ keepAlive: true, maxSockets: 4 }) });
          api.interceptors.request.use((req) => { req.headers.set('api-key', key); return req; });
          const { data } = await api.get('/shipments', { params: { id } });
          return data;
        }`,
      errors: [{ line: 4, messageId: 'perCall' }],
    },
    {
      name: "a per-call got instance with its own keep-alive agent (got's `agent: { https }`), called itself for its one request",
      ext: '.js',
      code: `
        const https = require('node:https');
        const got = require('got');
        async function fetchCaseDetail(caseUrl, cookie) {
          const client = got.extend({ agent: { https: new https.Agent({ keepAlive: true, maxSockets: 4 }) }, headers: { cookie } });
          const html = await client(caseUrl).text();
          return html.length;
        }
        module.exports = { fetchCaseDetail };`,
      errors: [{ line: 4, messageId: 'perCall' }],
    },
  ],
});
