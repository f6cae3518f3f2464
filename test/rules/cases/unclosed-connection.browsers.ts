// unclosed-connection: a browser's DevTools WebSocket. puppeteer's `connect()` attaches to a running
// (often remote) browser; `disconnect()` closes the WebSocket and leaves the browser running, `close()`
// closes both. Playwright's `connect()`/`connectOverCDP()` are closed by `close()`.
import { InvalidCase, ValidCase } from '../../helpers/rule-tester';

/** Renders a page in a remote browser; `end` runs after the page is read. */
const RENDER = (body: string) => `
      const puppeteer = require('puppeteer-core');
      async function fetchRendered(url, endpoint) {
        const browser = await puppeteer.connect({ browserWSEndpoint: endpoint });
${body}
      }
      module.exports = { fetchRendered };`;

export const invalid: InvalidCase[] = [
  {
    name: 'puppeteer: disconnect() only after a navigation that throws on a timeout',
    code: RENDER(`        const page = await browser.newPage();
        await page.goto(url, { waitUntil: 'networkidle2' });
        const html = await page.content();
        await page.close();
        await browser.disconnect();
        return html;`),
    ext: '.js',
    errors: [{ line: 3, message: /^WebSocket from `puppeteer-core.connect` is not closed if the `await` on line 4 rejects.*DevTools WebSocket/ }],
  },
  {
    name: 'puppeteer: the finally closes the page, nothing disconnects the browser',
    code: RENDER(`        const page = await browser.newPage();
        try {
          await page.goto(url);
          return await page.screenshot();
        } finally {
          await page.close().catch(() => {});
        }`),
    ext: '.js',
    errors: [{ line: 3, message: /is never closed/ }],
  },
  {
    name: 'Playwright: a CDP connection never closed',
    code: `
      import { chromium } from 'playwright';
      export async function title(url: string, cdp: string): Promise<string> {
        const browser = await chromium.connectOverCDP(cdp);
        const page = await browser.newPage();
        await page.goto(url);
        return page.title();
      }`,
    errors: [{ line: 3, message: /is never closed/ }],
  },
];

export const valid: ValidCase[] = [
  {
    name: 'puppeteer: disconnected in finally',
    code: RENDER(`        try {
          const page = await browser.newPage();
          await page.goto(url);
          return await page.content();
        } finally {
          await browser.disconnect();
        }`),
    ext: '.js',
  },
  {
    name: 'puppeteer: a browser kept in a field and closed by the class',
    code: `
      import puppeteer, { Browser } from 'puppeteer-core';
      export class Renderer {
        private browser?: Browser;
        async start(endpoint: string): Promise<void> {
          this.browser = await puppeteer.connect({ browserWSEndpoint: endpoint });
        }
        async stop(): Promise<void> {
          await this.browser?.disconnect();
        }
      }`,
  },
  {
    name: 'puppeteer: launch() is a browser process, not a connection this rule follows',
    code: `
      import puppeteer from 'puppeteer';
      export async function pdf(html: string): Promise<Uint8Array> {
        const browser = await puppeteer.launch();
        const page = await browser.newPage();
        await page.setContent(html);
        return page.pdf();
      }`,
  },
];
