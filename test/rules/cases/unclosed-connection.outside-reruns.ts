// unclosed-connection: a method that gives a field a new connection without closing the one it holds, which only code
// outside its class runs again on the same object: a route handler (`hub.follow(raceId)` through an entry method that
// calls `this.connect()`, `deps.feed.follow(region)` of a typed dependency), a loop over rounds on one client, a local
// function an interval calls. Beside the same class where that code runs once, makes a new object each time, stops the
// old connection first, or where the method returns while a state of the object says it is connecting.
import { InvalidCase, ValidCase } from '../../helpers/rule-tester';

/** A client of one race's live splits; `follow()` connects through `connect()`, which keeps the socket in `this.ws`. */
const timingHub = (guard = '') => `
      import WebSocket from 'ws';
      export class TimingHub {
        private ws: WebSocket | null = null;
        private raceId = '';
        private connecting = false;
        constructor(private readonly baseUrl: string) {}
        follow(raceId: string): void {
          this.raceId = raceId;
          this.connect();
        }
        private connect(): void {
          ${guard}
          const ws = new WebSocket(\`\${this.baseUrl}/races/\${this.raceId}/splits\`);
          this.ws = ws;
          ws.on('message', (data) => console.log(String(data)));
        }
        close(): void { this.ws?.close(); }
      }`;

/** The application: `createApp({ hub })` routes race control's switches to `routeBody`, run with the hub `main()` makes. */
const server = (routeBody: string, mainBody = '') => `
      import express from 'express';
      import { TimingHub } from './case';
      export function createApp({ hub }: { hub: TimingHub }) {
        const app = express();
        app.post('/admin/follow', (req, res) => {
          ${routeBody}
          res.json({ ok: true });
        });
        return app;
      }
      export async function main() {
        const hub = new TimingHub(process.env.HUB_URL ?? 'wss://hub.example');
        ${mainBody}
        createApp({ hub }).listen(3000);
      }`;

export const valid: ValidCase[] = [
  {
    name: 'a method that keeps a new socket, run once at startup by the code outside its class',
    code: timingHub(),
    files: { 'server.ts': server('res.status(204);', "hub.follow(process.env.RACE ?? '10k');") },
  },
  {
    name: 'a route that makes a new object for each request before following: no object is given a second socket',
    code: timingHub(),
    files: {
      'server.ts': `
        import express from 'express';
        import { TimingHub } from './case';
        const app = express();
        app.post('/admin/follow', (req, res) => {
          const hub = new TimingHub(process.env.HUB_URL ?? 'wss://hub.example');
          hub.follow(req.body.raceId);
          res.on('close', () => hub.close());
        });
        app.listen(3000);`,
    },
  },
  {
    name: 'a route that closes the hub before following another race',
    code: timingHub(),
    files: { 'server.ts': server('hub.close(); hub.follow(req.body.raceId);') },
  },
  {
    name: 'a method that returns while the object says it is connecting: a state of its own, not a new target',
    code: timingHub('if (this.connecting) return;'),
    files: { 'server.ts': server('hub.follow(req.body.raceId);') },
  },
  {
    name: 'a method that closes the socket it holds before opening the next',
    code: timingHub('this.ws?.close();'),
    files: { 'server.ts': server('hub.follow(req.body.raceId);') },
  },
  {
    name: 'a method that stops the socket it holds first through a method of its class',
    code: timingHub('if (this.ws) this.close();'),
    files: { 'server.ts': server('hub.follow(req.body.raceId);') },
  },
  {
    name: "a route that follows on another module's class of the same name: not this class's method",
    code: timingHub(),
    files: {
      'other-hub.ts': `
        export class TimingHub {
          constructor(readonly baseUrl: string) {}
          follow(raceId: string): void { console.log(this.baseUrl, raceId); }
        }`,
      'server.ts': server('hub.follow(req.body.raceId);').replace("import { TimingHub } from './case';", "import { TimingHub } from './other-hub';"),
    },
  },
  {
    name: 'a reload listener that makes a new hub before following with it: each follow() reaches another object',
    code: timingHub(),
    files: {
      'main.ts': `
        import { TimingHub } from './case';
        export async function main() {
          let hub = new TimingHub(process.env.HUB_URL ?? 'wss://hub.example');
          hub.follow('10k');
          process.on('SIGHUP', () => {
            const previous = hub;
            hub = new TimingHub(process.env.HUB_URL ?? 'wss://hub.example');
            previous.close();
            hub.follow('half');
          });
        }`,
    },
  },
  {
    name: 'a session getter that returns the one it holds while open, tested through a copy: each request reuses it',
    code: `
      import http2 from 'node:http2';
      export class PilotPush {
        private session: http2.ClientHttp2Session | null = null;
        constructor(private readonly origin: string) {}
        private getSession(): http2.ClientHttp2Session {
          const current = this.session;
          if (current && !current.closed && !current.destroyed) return current;
          const session = http2.connect(this.origin);
          session.on('close', () => { if (this.session === session) this.session = null; });
          this.session = session;
          return session;
        }
        send(path: string): void { this.getSession().request({ ':path': path }).end(); }
        close(): void { this.session?.close(); }
      }`,
    files: {
      'server.ts': `
        import express from 'express';
        import { PilotPush } from './case';
        const push = new PilotPush('https://push.example');
        const app = express();
        app.post('/alerts/:device', (req, res) => { push.send(\`/3/device/\${req.params.device}\`); res.sendStatus(202); });
        app.listen(3000);`,
    },
  },
];

export const invalid: InvalidCase[] = [
  {
    name: "a route handler runs follow() again on the app's one hub: each race switch leaves the last socket open",
    code: timingHub(),
    files: { 'server.ts': server('hub.follow(req.body.raceId);') },
    errors: [{ line: 13, message: /`this\.ws` is given a new WebSocket on line 13 while the one it holds may still be open/ }],
  },
  {
    name: 'a route of a typed dependency (`deps.feed.follow(region)`) runs it again',
    code: `
      import { io, type Socket } from 'socket.io-client';
      export class DashboardFeed {
        private socket: Socket | null = null;
        private region: string | null = null;
        follow(region: string): void {
          if (region === this.region) return;
          this.region = region;
          this.socket = io(\`https://board-\${region}.example\`, { transports: ['websocket'] });
          this.socket.on('assignment', (a: unknown) => console.log(a));
        }
        stop(): void { this.socket?.disconnect(); this.socket = null; }
      }`,
    files: {
      'app.ts': `
        import Koa from 'koa';
        import Router from '@koa/router';
        import type { DashboardFeed } from './case';
        export function buildApp(deps: { feed: DashboardFeed }): Koa {
          const app = new Koa();
          const router = new Router();
          router.put('/api/ops/region', async (ctx) => {
            deps.feed.follow(String(ctx.request.query.region));
            ctx.status = 204;
          });
          app.use(router.routes());
          return app;
        }`,
    },
    errors: [{ line: 8, message: /`this\.socket` is given a new Socket\.IO client on line 8/ }],
  },
  {
    name: 'a loop over the active rounds watches each one on the same client',
    code: `
      import WebSocket from 'ws';
      export class ScoreboardClient {
        private feed: WebSocket | null = null;
        constructor(private readonly url: string) {}
        watchRound(roundId: number): void {
          const ws = new WebSocket(\`\${this.url}/feed?round=\${roundId}\`);
          ws.on('message', (data) => console.log(String(data)));
          this.feed = ws;
        }
        close(): void { this.feed?.close(); }
      }`,
    files: {
      'main.ts': `
        import { ScoreboardClient } from './case';
        export async function main(active: Array<{ id: number }>) {
          const scoreboard = new ScoreboardClient(process.env.SCOREBOARD_URL ?? 'wss://scores.example');
          for (const round of active) scoreboard.watchRound(round.id);
        }`,
    },
    errors: [{ line: 6, message: /`this\.feed` is given a new WebSocket on line 6/ }],
  },
  {
    name: 'a local function an interval calls joins the live sale on the same feed',
    code: `
      import { io, type Socket } from 'socket.io-client';
      export class FloorFeed {
        private socket?: Socket;
        private saleId?: string;
        constructor(private readonly url: string) {}
        joinSale(saleId: string): void {
          if (this.saleId === saleId) return;
          this.saleId = saleId;
          this.socket = io(this.url, { forceNew: true, query: { sale: saleId } });
          this.socket.on('floor:bid', (bid: unknown) => console.log(bid));
        }
        leave(): void { this.socket?.disconnect(); this.socket = undefined; }
      }`,
    files: {
      'main.ts': `
        import { FloorFeed } from './case';
        declare function liveSession(): Promise<{ id: string } | undefined>;
        export async function main() {
          const floor = new FloorFeed(process.env.FLOOR_URL ?? 'https://floor.example');
          const followLiveSale = async () => {
            const live = await liveSession();
            if (live) floor.joinSale(live.id);
            else floor.leave();
          };
          await followLiveSale();
          setInterval(() => followLiveSale().catch((err) => console.error(err)), 60_000);
        }`,
    },
    errors: [{ line: 9, message: /`this\.socket` is given a new Socket\.IO client on line 9/ }],
  },
];
