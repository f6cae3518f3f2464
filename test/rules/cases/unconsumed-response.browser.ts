// unconsumed-response: code that runs in a browser page, not in this Node process (a function given
// to page.evaluate(), a front-end module that uses the DOM or React's hooks, a file of a front-end
// package, a page script with CommonJS exports under a `static`/`public` folder), beside the same fetch in
// code that runs in Node; and Cloudflare Workers' WebSocket handshake through fetch, which has no body.
import { InvalidCase, ValidCase } from '../../helpers/rule-tester';

/** A Redux thunk that fetches a chart and leaves the body unread on an error status. */
const CHART_ACTION = `
      const API_HOST = import.meta.env.VITE_API_HOST;
      export function getChart(projectId, chartId) {
        return async (dispatch) => {
          dispatch({ type: 'FETCH_CHART' });
          const res = await fetch(\`\${API_HOST}/project/\${projectId}/chart/\${chartId}\`, { headers: { Accept: 'application/json' } });
          if (!res.ok) {
            dispatch({ type: 'FETCH_CHART_FAIL', status: res.status });
            throw new Error(res.statusText);
          }
          const chart = await res.json();
          dispatch({ type: 'FETCH_CHART_SUCCESS', chart });
          return chart;
        };
      }`;

/** A page script with CommonJS exports that uses the DOM and reports errors with fetch. */
const padScript = `
      const socketio = require('./socketio');
      exports.baseURL = '';
      export const sendError = (message: string) => {
        document.title = 'error';
        fetch(\`\${exports.baseURL}jserror\`, { method: 'POST', body: JSON.stringify({ message, url: window.location.href }) })
          .then((res) => { if (!res.ok) throw new Error(String(res.status)); });
      };
      export const connect = () => socketio.connect(exports.baseURL);`;

export const valid: ValidCase[] = [
  {
    name: "Cloudflare Workers' WebSocket through fetch with an Upgrade header: a 101 with no body (Node's fetch rejects the header)",
    code: `
      export function openSocket(host: string, onOpen: (ws: any) => void, onError: (e: Error) => void): void {
        fetch('https://' + host + '/v2', { headers: { Upgrade: 'websocket' } })
          .then((resp: any) => {
            const ws = resp.webSocket;
            if (ws == null) throw new Error('no WebSocket in the response');
            ws.accept();
            onOpen(ws);
          })
          .catch(onError);
      }`,
  },
  {
    name: 'fetch inside page.evaluate runs in the browser',
    code: `
      declare const page: { evaluate(fn: () => void): Promise<void> };
      export async function ping() {
        await page.evaluate(() => {
          fetch('/__open-in-editor?file=a.js').catch(() => {});
        });
      }`,
  },
  {
    name: 'fetch in a front-end module (uses the DOM, loads no Node module)',
    code: `
      export function wire(button: { onclick: unknown }) {
        button.onclick = () => {
          fetch('/__open-in-editor?file=' + encodeURIComponent(document.title));
        };
      }`,
  },
  {
    name: "a bundled page script that requires only packages (webpack resolves require too) and uses the DOM",
    code: `
      const { trace } = require('@opentelemetry/api');
      const tracer = trace.getTracer('web');
      function prepare() {
        const button = document.getElementById('button1');
        button.addEventListener('click', () => {
          tracer.startActiveSpan('click', (span) => fetch('https://httpbin.org/get').then(() => span.end()));
        });
      }
      window.addEventListener('load', prepare);`,
    ext: '.js',
  },
  {
    name: 'fetch of a relative URL runs in a browser (Node rejects relative URLs)',
    code: `
      export function types(names: string[]) {
        return Promise.all(names.map(async (name) => {
          const response = await fetch(\`/assets/\${name}.js\`);
          return response.headers.get('Content-Type');
        }));
      }`,
  },
  {
    name: "a React component's effect fetches from the page (it imports React's hooks)",
    code: `
      import { useEffect, useState } from 'react';
      export function useEndpoints(base: string) {
        const [endpoints, setEndpoints] = useState<string[]>([]);
        useEffect(() => {
          (async () => {
            const res = await fetch(base + '/__apidocs');
            if (!res.ok) return;
            setEndpoints(await res.json());
          })();
        }, [base]);
        return endpoints;
      }`,
  },
  {
    name: "a Redux action of a front-end package (React DOM and Vite, no server): the browser's fetch",
    code: CHART_ACTION,
    ext: '.js',
    file: 'src/actions/chart.js',
    files: { 'package.json': '{ "name": "client", "type": "module", "dependencies": { "react": "^19.0.0", "react-dom": "^19.0.0", "redux-thunk": "^3.1.0" }, "devDependencies": { "vite": "^6.0.0" } }' },
  },
  {
    name: "a page script a bundler packs (CommonJS exports, the DOM) under the server's static folder: its fetch is the browser's",
    code: padScript,
    file: 'src/static/js/pad.ts',
  },
];

export const invalid: InvalidCase[] = [
  {
    name: "a keepalive fetch (an exporter that may outlive the page) read only for its status: the cancel fix is for review",
    code: `
      export async function send(url: string, data: Uint8Array, keepalive: boolean): Promise<'success' | 'failure'> {
        const response = await fetch(url, { method: 'POST', body: data, keepalive });
        if (response.status >= 200 && response.status <= 299) return 'success';
        return 'failure';
      }`,
    errors: [{ line: 2, message: /is never consumed or cancelled/ }],
    fixes: [
      'review: Consume or cancel `response` before each of the 2 leaking exits (review: a `keepalive` fetch is a browser\'s, where cancelling the body does not give back the keepalive quota; reading it does)',
    ],
  },
  {
    name: 'a fetch in a Node module next to DOM-like names is still a Node fetch',
    code: `
      import { readFileSync } from 'fs';
      export async function report(window: { title: string }) {
        const res = await fetch('https://stats.example/' + window.title + readFileSync('/etc/hostname', 'utf8'));
        return res.status;
      }`,
    errors: [{ line: 3 }],
  },
  {
    name: 'the same action in a package that also serves with express (server rendering runs it in Node too)',
    code: CHART_ACTION,
    ext: '.js',
    file: 'src/actions/chart.js',
    files: { 'package.json': '{ "name": "app", "type": "module", "dependencies": { "react": "^19.0.0", "react-dom": "^19.0.0", "express": "^5.0.0" } }' },
    errors: [{ line: 5 }],
  },
  {
    name: "a release script of a front-end package: it loads Node's fs, so it runs in Node",
    code: `
      import { readFileSync } from 'node:fs';
      export async function publish(url) {
        const res = await fetch(url, { method: 'PUT', body: readFileSync('dist/index.html') });
        if (!res.ok) throw new Error('upload failed: ' + res.status);
        return res.json();
      }`,
    ext: '.js',
    file: 'scripts/publish.js',
    files: { 'package.json': '{ "name": "client", "type": "module", "dependencies": { "react": "^19.0.0", "react-dom": "^19.0.0" } }' },
    errors: [{ line: 3 }],
  },
  {
    name: "a file of a front-end package that loads pg: it is the package's server code",
    code: `
      import pg from 'pg';
      const pool = new pg.Pool();
      export async function syncRates(url) {
        const res = await fetch(url);
        if (!res.ok) throw new Error('rates: ' + res.status);
        const rates = await res.json();
        await pool.query('UPDATE rates SET data = $1', [rates]);
      }`,
    ext: '.js',
    file: 'server/rates.js',
    files: { 'package.json': '{ "name": "client", "type": "module", "dependencies": { "react": "^19.0.0", "react-dom": "^19.0.0", "pg": "^8.0.0" } }' },
    errors: [{ line: 4 }],
  },
  {
    name: "the same CommonJS file outside a static folder may be loaded by Node: its fetch is checked",
    code: padScript,
    file: 'src/lib/pad.ts',
    errors: [{ line: 5 }],
  },
];
