// unclosed-connection: gRPC clients, whose constructors come from a loaded package definition
// (`grpc.loadPackageDefinition(…)`) or generated code and are known by the channel credentials they are
// given (also where only another module of the program loads gRPC); and a class's connection lent to a helper of the project that only calls its methods
// (`unary(this.catalog, 'getProduct', req)`, also by a computed method name, `client[method](req, opts, cb)`), which leaves
// it the class's to close (a top-level script's is left to the script's end: grpc-js unrefs it); a client replaced in the error
// branch of its own call's callback (a failed call leaves the channel open); credentials from a function a CommonJS
// module exports by shorthand (`module.exports = { controllerCredentials }`).
import { InvalidCase, ValidCase } from '../../helpers/rule-tester';

/** A module of instrument clients: `instrumentClient(addr)` makes one, `unary(client, method, req)` calls a method by its name. */
const INSTRUMENTS = {
  'grpcClient.ts': `import * as grpc from '@grpc/grpc-js';
const loaded = grpc.loadPackageDefinition({}) as any;
const InstrumentControl: typeof grpc.Client = loaded.qlab.InstrumentControl;
export function instrumentClient(address: string): grpc.Client {
  return new InstrumentControl(address, grpc.credentials.createInsecure());
}
export function unary<T>(client: grpc.Client, method: string, request: unknown, deadlineMs = 10_000): Promise<T> {
  return new Promise((resolve, reject) => {
    (client as any)[method](request, { deadline: Date.now() + deadlineMs }, (err: Error | null, res: T) => (err ? reject(err) : resolve(res)));
  });
}
`,
};

/** The project's proto module: service client constructors of a loaded package definition. */
const PROTO = {
  'proto.ts': `
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
const pkg = grpc.loadPackageDefinition(protoLoader.loadSync('downstream.proto')) as any;
export type ClientCtor = new (address: string, credentials: grpc.ChannelCredentials, options?: grpc.ChannelOptions) => any;
export const CatalogClient: ClientCtor = pkg.downstream.v1.Catalog;
export const PricingClient: ClientCtor = pkg.downstream.v1.Pricing;
`,
};

/** A class of clients to downstream services; `closeBody` is its `close()`. */
function downstreamClients(closeBody: string): { code: string; files: Record<string, string> } {
  return {
    code: `
      import * as grpc from '@grpc/grpc-js';
      import { CatalogClient, PricingClient } from './proto';
      function unary<T>(client: any, method: string, request: unknown): Promise<T> {
        return new Promise((resolve, reject) => client[method](request, (err: Error | null, res: T) => (err ? reject(err) : resolve(res))));
      }
      export class Downstream {
        private readonly pricing: any;
        private readonly catalog: any;
        constructor(addr: { pricing: string; catalog: string }) {
          const creds = grpc.credentials.createInsecure();
          this.pricing = new PricingClient(addr.pricing, creds);
          this.catalog = new CatalogClient(addr.catalog, creds);
        }
        price(sku: string) { return unary(this.pricing, 'getPrice', { sku }); }
        product(sku: string) { return unary(this.catalog, 'getProduct', { sku }); }
        close(): void {
          ${closeBody}
        }
      }`,
    files: PROTO,
  };
}

/** A gateway class with two gRPC clients lent to a helper that binds a method to them; `part` is the rest of its close(). */
const EHR_GATEWAY = (part: string) => `
      import * as grpc from '@grpc/grpc-js';
      declare const ehr: { ObservationService: new (a: string, c: grpc.ChannelCredentials) => grpc.Client; AlertService: new (a: string, c: grpc.ChannelCredentials, o?: object) => grpc.Client };
      type Unary = (req: object, cb: (err: Error | null, res?: { id: string }) => void) => void;
      function call(client: grpc.Client, method: string, req: object): Promise<string> {
        const fn = (client as unknown as Record<string, Unary>)[method].bind(client);
        return new Promise((resolve, reject) => fn(req, (err, res) => (err ? reject(err) : resolve(res!.id))));
      }
      export class EhrGateway {
        private readonly observations: grpc.Client;
        private readonly alerts: grpc.Client;
        constructor(address: string, credentials: grpc.ChannelCredentials) {
          this.observations = new ehr.ObservationService(address, credentials);
          this.alerts = new ehr.AlertService(address, credentials, { 'grpc.use_local_subchannel_pool': 1 });
        }
        record(o: object): Promise<string> {
          return call(this.observations, 'record', o);
        }
        raise(a: object): Promise<string> {
          return call(this.alerts, 'raise', a);
        }
        close(): void {
          this.observations.close();${part}
        }
      }`;

/** A pricing client that makes a new client after five UNAVAILABLE calls; `drop` runs before it does. */
const PRICING = (drop: string) => ({
  files: PROTO,
  code: `
      import * as grpc from '@grpc/grpc-js';
      import { PricingClient } from './proto';
      export class Pricing {
        private client = new PricingClient(process.env.PRICING_ADDR ?? 'pricing:50051', grpc.credentials.createInsecure());
        private unavailable = 0;
        getPrice(sku: string): Promise<unknown> {
          return new Promise((resolve, reject) => {
            this.client.getPrice({ sku }, (err: grpc.ServiceError | null, reply: unknown) => {
              if (err) {
                if (err.code === grpc.status.UNAVAILABLE && ++this.unavailable >= 5) {${drop}
                  this.client = new PricingClient(process.env.PRICING_ADDR ?? 'pricing:50051', grpc.credentials.createInsecure());
                  this.unavailable = 0;
                }
                reject(err);
                return;
              }
              resolve(reply);
            });
          });
        }
        close(): void { this.client.close(); }
      }`,
});

export const invalid: InvalidCase[] = [
  {
    name: "a gRPC client per turbine whose credentials come from a CommonJS module's `module.exports = { controllerCredentials }`, left open when its call rejects",
    code: `
      const { YawController, controllerCredentials } = require('./definitions');
      function setYawOffset(client, request) {
        return new Promise((resolve, reject) => {
          client.setYawOffset(request, { deadline: Date.now() + 10_000 }, (err, reply) => (err ? reject(err) : resolve(reply)));
        });
      }
      async function calibrate(turbine, offsetDeg) {
        const client = new YawController(turbine.address, controllerCredentials());
        const reply = await setYawOffset(client, { offsetDeg });
        client.close();
        return reply.appliedDeg;
      }
      module.exports = { calibrate };`,
    ext: '.js',
    files: {
      'definitions.js': `const grpc = require('@grpc/grpc-js');
const { yaw } = grpc.loadPackageDefinition(require('./yaw-definition.json')).windfarm;
function controllerCredentials() {
  if (process.env.CONTROLLER_CA) return grpc.credentials.createSsl(Buffer.from(process.env.CONTROLLER_CA));
  return grpc.credentials.createInsecure();
}
module.exports = { YawController: yaw.v1.YawController, controllerCredentials };
`,
    },
    errors: [{ line: 8, message: /^gRPC client from `new YawController\(\)` is not closed if the `await` on line 9 rejects/ }],
  },
  {
    name: "a gRPC client replaced in the error branch of its own call's callback: a failed call leaves its channel open",
    ...PRICING(''),
    errors: [{ line: 11, message: /`this\.client` is given a new gRPC client on line 11 while the one it holds may still be open/ }],
  },
  {
    name: "a gateway class whose close() closes one of its two gRPC clients; both are lent to a helper that binds a method to them",
    code: EHR_GATEWAY(''),
    errors: [{ line: 13, message: /^gRPC client from `new AlertService\(\)` is kept in `this.alerts`/ }],
  },
  {
    name: "a gRPC client a helper of the file makes from a constructor another module exports, given to each match result and never closed",
    code: `
      import { credentials } from '@grpc/grpc-js';
      import { CatalogClient } from './proto';
      function makeCatalogClient(addr = 'catalog.internal:50051') {
        return new CatalogClient(addr, credentials.createInsecure(), { 'grpc.keepalive_time_ms': 30_000 });
      }
      export function lookup(sku: string): Promise<unknown> {
        const client = makeCatalogClient();
        return new Promise((resolve, reject) => client.getProduct({ sku }, (err: Error | null, res: unknown) => (err ? reject(err) : resolve(res))));
      }`,
    files: PROTO,
    errors: [{ line: 7, message: /^gRPC client from `makeCatalogClient\(\)` is never closed/ }],
  },
  {
    name: 'a gRPC client per snapshot whose constructor and credentials come from a module of the project (this file loads no gRPC module), left open on an empty snapshot',
    code: `
      import { QuoteService, quoteCredentials } from './loader';
      export async function loadSnapshot(symbols: string[]): Promise<string[]> {
        const client = new QuoteService('quotes.internal:50051', quoteCredentials()) as any;
        const quotes: string[] = await new Promise((resolve, reject) => {
          client.getSnapshot({ symbols }, (err: Error | null, res?: { quotes: string[] }) => (err || !res ? reject(err) : resolve(res.quotes)));
        });
        if (quotes.length === 0) return [];
        client.close();
        return quotes;
      }`,
    files: {
      'loader.ts': "import * as grpc from '@grpc/grpc-js';\nconst loaded = grpc.loadPackageDefinition({}) as unknown as { market: { QuoteService: grpc.ServiceClientConstructor } };\nexport const QuoteService = loaded.market.QuoteService;\nexport function quoteCredentials(): grpc.ChannelCredentials {\n  return grpc.credentials.createInsecure();\n}\n",
    },
    errors: [{ line: 3, message: /^gRPC client from `new QuoteService\(\)` is not closed when the `return` on line 7 is taken/ }],
  },
  {
    name: 'a gRPC client of a loaded package definition made for each lookup and never closed',
    code: `
      import * as grpc from '@grpc/grpc-js';
      import { CatalogClient } from './proto';
      export function lookupProduct(sku: string): Promise<{ title: string }> {
        const catalog = new CatalogClient(process.env.CATALOG_ADDR ?? 'catalog:50051', grpc.credentials.createInsecure());
        return new Promise((resolve, reject) => {
          catalog.getProduct({ sku }, { deadline: Date.now() + 1500 }, (err: grpc.ServiceError | null, p: any) => (err ? reject(err) : resolve(p)));
        });
      }`,
    files: PROTO,
    errors: [{ line: 4, message: /^gRPC client from `new CatalogClient\(\)` is never closed/ }],
  },
  {
    name: "a class whose close() closes one gRPC client and forgets the other, which it only lends to the file's unary() helper",
    ...downstreamClients('this.pricing.close();'),
    errors: [{ line: 12, message: /kept in `this\.catalog`, and nothing in its class ever closes it/ }],
  },
  {
    name: "an LDAP reader a class lends to helpers of other modules that only call its methods, while its close() unbinds only the writer",
    code: `
      const ldap = require('ldapjs');
      const { bindAsync, pagedSearch, closeQuietly } = require('./ldap-helpers');
      class Directory {
        constructor(config) { this.config = config; this.reader = null; this.writer = null; }
        async open() {
          this.reader = ldap.createClient({ url: this.config.readUrl });
          await bindAsync(this.reader, this.config.readerDN, this.config.readerPassword);
          this.writer = ldap.createClient({ url: this.config.writeUrl });
          await bindAsync(this.writer, this.config.bindDN, this.config.bindPassword);
          return this;
        }
        findPeople() { return pagedSearch(this.reader, this.config.peopleBase, '(objectClass=inetOrgPerson)'); }
        async close() { await closeQuietly(this.writer); }
      }
      module.exports = { Directory };`,
    ext: '.js',
    files: {
      'ldap-helpers.js': `
function bindAsync(client, dn, password) {
  return new Promise((resolve, reject) => client.bind(dn, password, (err) => (err ? reject(err) : resolve())));
}
function pagedSearch(client, base, filter) {
  return new Promise((resolve, reject) => {
    const entries = [];
    client.search(base, { filter, paged: true }, (err, res) => {
      if (err) return reject(err);
      res.on('searchEntry', (e) => entries.push(e.pojo));
      res.on('error', reject);
      res.on('end', () => resolve(entries));
    });
  });
}
function closeQuietly(client) {
  return new Promise((resolve) => client.unbind(() => resolve()));
}
module.exports = { bindAsync, pagedSearch, closeQuietly };
`,
    },
    errors: [{ line: 6, message: /kept in `this\.reader`/ }],
  },
];

export const valid: ValidCase[] = [
  {
    name: 'the same client closed before it is replaced',
    ...PRICING(`
                  this.client.close();`),
  },
  {
    name: "the same gateway closing both clients",
    code: EHR_GATEWAY(`
          this.alerts.close();`),
  },
  {
    name: 'gRPC clients made once for the process, and one made per call and closed in finally',
    code: `
      import * as grpc from '@grpc/grpc-js';
      import { CatalogClient, PricingClient } from './proto';
      const catalog = new CatalogClient('catalog:50051', grpc.credentials.createInsecure());
      export const product = (sku: string) => new Promise((resolve, reject) => catalog.getProduct({ sku }, (e: Error | null, p: unknown) => (e ? reject(e) : resolve(p))));
      export async function priceOnce(addr: string, creds: grpc.ChannelCredentials, sku: string) {
        const pricing = new PricingClient(addr, creds);
        try {
          return await new Promise((resolve, reject) => pricing.getPrice({ sku }, (e: Error | null, p: unknown) => (e ? reject(e) : resolve(p))));
        } finally {
          pricing.close();
        }
      }`,
    files: PROTO,
  },
  {
    name: "a class that lends both gRPC clients to the file's unary() helper and closes both",
    ...downstreamClients('this.pricing.close();\n          this.catalog.close();'),
  },
  {
    name: 'a class whose gRPC client goes to a helper of the file that closes it (a helper that uses it by a computed name "close" ends it)',
    code: `
      import * as grpc from '@grpc/grpc-js';
      import { CatalogClient, PricingClient } from './proto';
      function shut(client: any, how: string) { client['close'](); }
      export class Pair {
        private pricing = new PricingClient('pricing:50051', grpc.credentials.createInsecure());
        private catalog = new CatalogClient('catalog:50051', grpc.credentials.createInsecure());
        close() { this.pricing.close(); shut(this.catalog, 'now'); }
      }`,
    files: PROTO,
  },
  {
    name: 'a constructor given a second argument that is no channel credentials is no gRPC client',
    code: `
      import * as grpc from '@grpc/grpc-js';
      import { Cache } from './cache';
      export function makeCache(ttl: number) {
        const cache = new Cache('products', { ttl });
        return cache.size + grpc.status.OK;
      }`,
    files: { 'cache.ts': 'export class Cache { size = 0; constructor(public name: string, public o: { ttl: number }) {} }\n' },
  },
  {
    name: 'gRPC clients a test hook makes and never closes: grpc-js unrefs the connection between calls, so the runner is not held',
    code: `
      import * as grpc from '@grpc/grpc-js';
      import { CatalogClient } from './proto';
      let client: any;
      beforeEach(() => {
        client = new CatalogClient('127.0.0.1:50051', grpc.credentials.createInsecure());
      });
      it('answers', async () => {
        await new Promise((resolve, reject) => client.getProduct({ sku: 'a' }, (e: Error | null, p: unknown) => (e ? reject(e) : resolve(p))));
      });`,
    file: 'src/catalog.test.ts',
    files: PROTO,
  },
  {
    name: "a gRPC client an example script's main() makes in a callback it runs in place: the script ends with it",
    code: `
      const grpc = require('@grpc/grpc-js');
      const services = require('./greeter_grpc_pb');
      function main() {
        withSpan(() => {
          const client = new services.GreeterClient('localhost:50051', grpc.credentials.createInsecure());
          client.sayHello({ name: process.argv[2] || 'world' }, (err, res) => console.log(err || res));
        });
      }
      function withSpan(fn) { return fn(); }
      main();`,
    ext: '.js',
    file: 'examples/client.js',
  },
  {
    name: "a top-level script's gRPC client lent to the unary() helper and never closed: grpc-js unrefs the connection between calls, so the script ends",
    code: `
      import { instrumentClient, unary } from './grpcClient';
      const client = instrumentClient(process.env.INSTRUMENT_ADDR ?? 'localhost:50051');
      const status = await unary<{ state: string }>(client, 'getStatus', { id: process.argv[2] });
      console.log(status.state);`,
    file: 'scripts/status.ts',
    files: { 'scripts/grpcClient.ts': INSTRUMENTS['grpcClient.ts'] },
  },
];

invalid.push({
  name: "a gRPC client from a project factory lent to a helper that calls a method by a computed name with a request and a callback (`client[method](req, opts, cb)`: a call, no close), skipped by a return",
  code: `
      import { instrumentClient, unary } from './grpcClient';
      export async function calibrateIfIdle(id: string, address: string) {
        const client = instrumentClient(address);
        const status = await unary<{ state: string }>(client, 'getStatus', { id });
        if (status.state !== 'IDLE') return { id, ran: false };
        const result = await unary<{ ok: boolean }>(client, 'runCalibration', { id }, 900_000);
        client.close();
        return { id, ran: result.ok };
      }`,
  files: INSTRUMENTS,
  errors: [{ line: 3, message: /^gRPC client from `instrumentClient\(\)` is not closed when the `return` on line 5 is taken/ }],
});

/** A choke command over a gRPC client made per call, its channel credentials from `creds` (an expression or a helper's call). */
const CHOKE = (creds: string, helper = '') => `
      import fs from 'node:fs';
      import * as grpc from '@grpc/grpc-js';
      import { CatalogClient } from './proto';${helper}
      export function setChoke(wellId: string, percent: number): Promise<string> {
        const client = new CatalogClient('well-control:50051', ${creds});
        return new Promise((resolve, reject) => {
          client.setChoke({ wellId, percent }, { deadline: Date.now() + 10_000 }, (err: grpc.ServiceError | null, reply: any) => {
            if (err) {
              reject(err);
              return;
            }
            client.close();
            resolve(reply.commandId);
          });
        });
      }`;

invalid.push(
  {
    name: "a gRPC client per command, closed on success only, its credentials from a function of the file that picks TLS or not",
    code: CHOKE('credentials()', `
      function credentials() {
        if (process.env.INSECURE === '1') return grpc.credentials.createInsecure();
        return grpc.credentials.createSsl(fs.readFileSync('/etc/ca.pem'));
      }`),
    files: PROTO,
    errors: [{ line: 9, message: /^gRPC client from `new CatalogClient\(\)` is not closed once the promise is settled on line 13/ }],
  },
  {
    name: "the same client with the choice of credentials inline (`tls ? createSsl(ca) : createInsecure()`)",
    code: CHOKE("process.env.TLS === '1' ? grpc.credentials.createSsl(fs.readFileSync('/etc/ca.pem')) : grpc.credentials.createInsecure()"),
    files: PROTO,
    errors: [{ line: 5, message: /^gRPC client from `new CatalogClient\(\)` is not closed once the promise is settled on line 9/ }],
  },
);

valid.push({
  name: 'the same command closing its client on both paths, credentials from a function of the file',
  code: CHOKE('credentials()', `
      function credentials() {
        return grpc.credentials.createInsecure();
      }`).replace('reject(err);\n              return;', 'client.close();\n              reject(err);\n              return;'),
  files: PROTO,
});
