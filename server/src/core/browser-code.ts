// Code that runs in a browser page, not in this Node process: whatever it leaves open is a connection of
// the browser's pool (or React Native's), not a socket of the process the rules are about.
import { ts } from 'ts-morph';

/**
 * The file is front-end code: it uses the DOM (`document`, `window`, `navigator`…), or React's hooks,
 * or belongs to a front-end package (`frontEndPackage`), and loads no Node module. A `fetch` there
 * holds a connection of the browser's pool, not a socket of this process.
 */
export function isBrowserFile(sf: ts.SourceFile, frontEndPackage = false): boolean {
  let signs = BROWSER_SIGNS.get(sf);
  if (!signs) BROWSER_SIGNS.set(sf, (signs = browserSigns(sf)));
  // `exports.baseURL = …` in a page script a bundler (browserify) packs: under the folder a server serves files from.
  return (signs.dom || frontEndPackage) && !signs.node && !signs.universal && (!signs.commonJs || (signs.dom && servedAsIs(sf.fileName)));
}

interface BrowserSigns {
  dom: boolean;
  node: boolean;
  commonJs: boolean;
  /**
   * `typeof navigator === 'undefined'`, `typeof window !== 'undefined'` outside a component: code that
   * asks where it runs, because it runs in Node too (jose's remote key set, an isomorphic client).
   */
  universal: boolean;
}

const BROWSER_SIGNS = new WeakMap<ts.SourceFile, BrowserSigns>();

/** `src/static/js/pad.ts`, `public/js/app.js`: files a web server hands to the browser. */
function servedAsIs(file: string): boolean {
  return /[\\/](static|public|assets|www)[\\/]/.test(file);
}

function browserSigns(sf: ts.SourceFile): BrowserSigns {
  let dom = sf.statements.some((s) => ts.isExpressionStatement(s) && ts.isStringLiteral(s.expression) && s.expression.text === 'use client');
  let node = false;
  let commonJs = false;
  let asksWhere = false;
  let component = dom;
  const visit = (n: ts.Node): void => {
    if (node) return;
    if (ts.isImportDeclaration(n) && ts.isStringLiteral(n.moduleSpecifier) && isNodeModuleName(n.moduleSpecifier.text)) node = true;
    // Angular runs in the page (its server rendering is a separate entry point).
    else if (ts.isImportDeclaration(n) && ts.isStringLiteral(n.moduleSpecifier) && n.moduleSpecifier.text.startsWith('@angular/')) dom = component = true;
    // A component with React's state or effect hooks renders in the page: a server component may use
    // none of them, and server rendering runs neither effects nor event handlers.
    else if (ts.isImportDeclaration(n) && ts.isStringLiteral(n.moduleSpecifier) && REACT_MODULES.has(n.moduleSpecifier.text) && importsHook(n)) dom = component = true;
    else if (ts.isTypeOfExpression(n) && ts.isIdentifier(n.expression) && BROWSER_GLOBALS.has(n.expression.text)) asksWhere = true;
    // Bundlers resolve `require('pkg')` too: only a Node built-in (or a path computed at run time) says Node.
    else if (ts.isCallExpression(n) && ts.isIdentifier(n.expression) && n.expression.text === 'require') {
      const spec = n.arguments[0];
      if (!spec || !ts.isStringLiteralLike(spec) || isNodeModuleName(spec.text)) node = true;
    }
    // A CommonJS module that exports: a library, which may be loaded by Node whatever globals it tests for.
    else if (ts.isIdentifier(n) && (n.text === 'module' || n.text === 'exports') && ts.isPropertyAccessExpression(n.parent) && n.parent.expression === n) commonJs = true;
    // `process.env.PUBLIC_URL` is replaced by front-end bundlers: no sign of Node by itself.
    else if (ts.isIdentifier(n) && n.text === 'process' && !(ts.isPropertyAccessExpression(n.parent) && n.parent.expression === n && n.parent.name.text === 'env')) node = true;
    else if (ts.isIdentifier(n) && (n.text === '__dirname' || n.text === 'Buffer')) node = true;
    else if (ts.isPropertyAccessExpression(n) && ts.isIdentifier(n.expression) && BROWSER_GLOBALS.has(n.expression.text)) used.add(n.expression.text);
    // `const self = this`, `function (self, endpoint)`: a name of the file's own, not the page's global.
    if ((ts.isParameter(n) || ts.isVariableDeclaration(n)) && ts.isIdentifier(n.name) && BROWSER_GLOBALS.has(n.name.text)) declared.add(n.name.text);
    ts.forEachChild(n, visit);
  };
  const used = new Set<string>();
  const declared = new Set<string>();
  visit(sf);
  return { dom: dom || [...used].some((g) => !declared.has(g)), node, commonJs, universal: asksWhere && !component };
}

const REACT_MODULES = new Set(['react', 'preact/hooks']);
const CLIENT_HOOKS = new Set(['useState', 'useEffect', 'useLayoutEffect', 'useReducer', 'useRef']);

function importsHook(decl: ts.ImportDeclaration): boolean {
  const bindings = decl.importClause?.namedBindings;
  return !!bindings && ts.isNamedImports(bindings) && bindings.elements.some((e) => CLIENT_HOOKS.has((e.propertyName ?? e.name).text));
}

/**
 * A package whose code runs in the page: it depends on a UI library (React DOM, React Native, Vue,
 * Svelte, Preact, Solid, Angular) and on nothing that renders or serves on a server (Next.js, Nuxt,
 * Remix, SvelteKit, Astro, a Node server framework, Electron's main process). Its files that load no
 * Node module are the browser's (`isBrowserFile`).
 */
export function isFrontEndPackage(deps: ReadonlySet<string>): boolean {
  let known = FRONT_END.get(deps);
  if (known === undefined) FRONT_END.set(deps, (known = dependsOnUiOnly(deps)));
  return known;
}

/** Per package (projects.ts keeps one set per package root): asked for every leak report of its files. */
const FRONT_END = new WeakMap<ReadonlySet<string>, boolean>();

function dependsOnUiOnly(deps: ReadonlySet<string>): boolean {
  let ui = false;
  for (const d of deps) {
    if (SERVER_SIDE_PACKAGES.has(d) || SERVER_SIDE_SCOPES.some((scope) => d.startsWith(scope))) return false;
    if (UI_PACKAGES.has(d)) ui = true;
  }
  return ui;
}

const UI_PACKAGES = new Set(['react-dom', 'react-native', 'vue', 'svelte', 'preact', 'solid-js', '@angular/core']);
const SERVER_SIDE_PACKAGES = new Set([
  'next', 'nuxt', 'astro', 'gatsby', 'vike', 'vite-plugin-ssr', 'electron', '@angular/ssr', '@nguniversal/express-engine', '@vue/server-renderer',
  'express', 'fastify', 'koa', 'hapi', '@hapi/hapi', 'restify', 'polka', 'hono', 'h3', 'socket.io', 'ws',
]);
const SERVER_SIDE_SCOPES = ['@remix-run/', '@react-router/', '@sveltejs/kit', '@tanstack/start', '@tanstack/react-start', '@nestjs/', '@builder.io/qwik-city'];

/** Globals of a page or a service worker (`self.addEventListener('fetch', …)`, `caches.open()`), none of them Node's. */
const BROWSER_GLOBALS = new Set(['document', 'window', 'navigator', 'location', 'localStorage', 'sessionStorage', 'customElements', 'self', 'caches']);
const NODE_BUILTINS = new Set(['net', 'tls', 'http', 'https', 'http2', 'dgram', 'fs', 'child_process', 'os', 'path', 'stream', 'worker_threads', 'cluster']);

/**
 * Clients that only run in Node: a file that loads one is no page's code. (Server frameworks need no
 * entry: a package that depends on one is no front-end package.)
 */
const NODE_ONLY_PACKAGES = new Set([
  'pg', 'mysql', 'mysql2', 'ioredis', 'redis', 'mongodb', 'mongoose', 'amqplib', 'kafkajs', 'nodemailer', 'undici', 'node-fetch', 'got',
  'ws', 'knex', 'sequelize', 'typeorm', 'ssh2', 'bullmq',
]);

function isNodeModuleName(spec: string): boolean {
  return spec.startsWith('node:') || NODE_BUILTINS.has(spec.split('/')[0]) || NODE_ONLY_PACKAGES.has(spec);
}

/**
 * Where a front-end package's client comes from when it can run in a page (the global `fetch` and
 * `WebSocket`, and clients with a browser build): only those are excused there. A project class or a
 * Node-only client in such a package may well be its server's.
 */
export const BROWSER_CLIENTS = new Set(['global', 'axios', 'socket.io-client', 'cross-fetch', 'isomorphic-fetch', 'ky', 'ofetch', 'eventsource', 'graphql-ws', 'sockjs-client', 'engine.io-client']);
