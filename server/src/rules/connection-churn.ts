// Code that opens a new TCP connection per request, so that one side collects a TIME_WAIT entry per
// request and, on the client, ephemeral ports run out (~470 new connections/s to one peer on Linux
// defaults). Facts: node-socket-semantics.md §3 (`lib/_http_agent.js`, http.md § new Agent).
import * as path from 'path';
import { ts } from 'ts-morph';
import { format, Rule, RuleContext } from '../core/rule';
import { edit, nodeRange } from '../core/text';
import { reportRange } from '../core/report-range';
import { AGENT_KEYS, GOT_AGENT_KEYS, HTTP_POOL_CLIENT_MODULES } from '../core/catalog';
import type { CreatorSpec } from '../core/creator-spec';
import { KINDS } from '../core/kinds';
import type { ExitKind } from '../core/flow-statements';
import { Fix, RelatedLocation } from '../core/types';
import {
  connectionCloseHeader, constValue, enclosingFunction, findProp, forEachCall, isConst, loopAround, methodCall, objectOf, propName,
} from '../core/syntax';
import { inTestCode } from '../core/execution';
import { droppedPool } from '../core/dropped-pools';
import { ARRAY_CALLBACKS, skipParensUp } from '../core/call-shapes';
import { runsFast, runsRarely } from '../core/run-rate';
import { findNode, promiseExecutor, skipOuter } from '../core/ast';
import { hoistFix } from './support/hoist';
import { headerCall } from './support/connection-headers';
import { proxyWithoutAgent, Rel, Report } from './support/proxies';
import { madePerCall, sharedClientOf } from './support/shared-clients';
import { sameServersEveryEvent } from './support/per-server';
import { oneShotSocketOf } from './support/one-shot-sockets';
import { nodeFetchClosingEach } from './support/node-fetch-close';
import { sendsMail, serverFromArguments, SMTP_TRANSPORT, smtpFactoryOf, smtpTransportOptions } from './support/smtp';
import { calledInBatches, runsForEveryEvent, runsPerEvent, runsSeldom } from './support/frequency';
import { HEALTH_PATH } from './support/health-checks';
import { agentOf, CatalogCreator, isUpgradeRequest, perRequestProxy, requestKind } from './support/http';
import { agentFalseAssigned, argumentOf, falseByDefault, gotAgentOption, inReturnedFunction, isRetryLoop, optionsPassedTo, reassignsOption, unusedForProtocol, usesLoopVariable } from './support/agent-options';
import { closesSibling, keptIn, touchedInTeardown } from '../core/sibling-closes';
import { agentMadeBy, destructuredOptionHelper, DISPATCH_METHODS, onlyRequestOf, projectFunctionOf, projectParameterFor, requestFed, requestsFedBy, returnedAgent } from './support/agent-factories';

/** How a never-closed client per call is fixed, where one client serves every call. */
const SHARE_IT = 'Create it once when the process starts and share it.';

const rule: Rule = {
  meta: {
    id: 'connection-churn',
    description: 'One new TCP connection per request (agent: false, an agent or a pool per call, keepAlive: false, Connection: close): a TIME_WAIT per request and ephemeral-port exhaustion.',
    defaultSeverity: 'warning',
    messages: {
      agentFalse: '`agent: false` gives this `{{api}}` a fresh Agent with keep-alive off, so every request opens a new TCP connection. Each one leaves a TIME_WAIT entry, and at about 470 requests per second to one host the ephemeral ports run out (EADDRNOTAVAIL).',
      perCall: 'A new `{{label}}` is created on every call of {{fn}} and used for a single request, so its connection is never reused. Each call opens a new TCP connection and leaves a TIME_WAIT entry, which exhausts the ephemeral ports under load.',
      factoryPerCall: '{{fn}} returns a new `{{label}}` on every call, and this request is the only one to use it, so its connection is never reused. Each call opens a new TCP connection and leaves a TIME_WAIT entry, which exhausts the ephemeral ports under load: make the agent once (per endpoint) and share it.',
      perCallRequests: 'A new `{{label}}` is created on every call of {{fn}}, which runs for every request or event, and serves only the requests of that call, so its connections are never reused. Each call opens new TCP connections and leaves TIME_WAIT entries, which exhausts the ephemeral ports under load.',
      perIteration: 'A new `{{label}}` is created on every loop iteration, so no connection is ever reused. Each iteration opens a new TCP connection and leaves a TIME_WAIT entry, where one pooled connection would do.',
      keepAliveOffByDefault: '`keepAlive` is false unless the caller sets it, and with a finite `maxSockets` the Agent then destroys each socket after its response: this side closes first, so every request opens a new TCP (and TLS) connection and leaves a TIME_WAIT entry. Default it to `true`.',
      keepAliveOff: '`keepAlive: false` with a finite `maxSockets` makes the Agent destroy each socket after its response, although the request still advertises keep-alive. This side closes first, so it collects a TIME_WAIT entry per request.',
      requestClose: 'A `Connection: close` request header makes every request use a new TCP connection. Each one leaves a TIME_WAIT entry, and the ephemeral ports run out under load.',
      nodeFetchClose: 'node-fetch sends `Connection: close` on a request given no `agent`, and this one runs at least once a second: each run opens a new TCP (and TLS) connection and leaves a TIME_WAIT entry. Give it a keep-alive agent made once.',
      responseClose: '`Connection: close` on every response makes the server close each connection after one request. The server collects a TIME_WAIT entry per request, and clients must reconnect every time.',
      clientPerCall: 'A new `{{label}}` is created on every call of {{fn}} and closed before it returns, so its connections are opened and torn down again for each call: every call pays the TCP (and TLS and authentication) handshakes and leaves TIME_WAIT entries. Create it once when the process starts and share it.',
      clientPerIteration: 'A new `{{label}}` is created on every loop iteration and closed before the next, so its connections are opened and torn down again each time round: the handshakes are paid per iteration and each closed connection leaves a TIME_WAIT entry. Create it once before the loop.',
      clientPerCallOpen: 'A new `{{label}}` is created on every call of {{fn}} and never closed: nothing keeps it, so each call leaves its connections open (reconnecting, or idle in a pool), and they pile up until the server refuses more or the process runs out of file descriptors. {{shareIt}}',
      httpClientPerCallOpen: 'A new `{{label}}` is created on every call of {{fn}} and never closed: its keep-alive connections serve only that call\'s requests and are never reused (its idle ones close only at its keep-alive timeout), so each call opens new TCP connections and leaves TIME_WAIT entries, which exhausts the ephemeral ports under load. {{shareIt}}',
      grpcClientPerCallOpen: 'A new `{{label}}` is created on every call of {{fn}} and never closed: each one is a gRPC channel of its own (name resolution, load balancing, timers), which grpc-js keeps registered (channelz) until `close()`. It shares one connection per target between channels, but the channels pile up with the calls, and one made after the others have idled connects again. gRPC\'s guidance is to make a channel once and reuse it: {{shareIt}}',
      clientPerIterationOpen: 'A new `{{label}}` is created on every loop iteration and never closed: each iteration leaves its connections open, and they pile up until the server refuses more or the process runs out of file descriptors. Create it once before the loop and close it after.',
      socketPerCall: 'A new `{{label}}` is opened on every call of {{fn}} for one exchange and closed again, and {{fn}} runs for every request, event or item: each call pays the TCP (and TLS) handshake and {{handshake}}, and each closed connection leaves a TIME_WAIT entry, which piles up under load. Keep one connection open (reconnecting when it drops) and send every message over it.',
      tcpSocketPerCall: 'A new `{{label}}` connection is opened on every call of {{fn}} for one exchange and closed again, and {{fn}} runs for every request, event or item: each call pays the TCP (and TLS) handshake, and each closed connection leaves a TIME_WAIT entry on the side that closed first, which piles up under load. Where the protocol allows more than one message per connection, keep one open (reconnecting when it drops) and send every message over it.',
      socketPerIteration: 'A new `{{label}}` is opened on every loop iteration for one exchange and closed again: each iteration pays the TCP (and TLS) handshake and {{handshake}}, and each closed connection leaves a TIME_WAIT entry. Open it once before the loop and send every message over it.',
      smtpPerCall: 'A new SMTP transport without `pool: true` is created on every call of {{fn}} for its mail: each `sendMail` opens its own SMTP connection (TCP, TLS, authentication) and closes it, a TIME_WAIT entry per mail. One transport made once with `pool: true` and shared reuses its connections.',
      smtpPerIteration: 'A new SMTP transport without `pool: true` is created on every loop iteration: each `sendMail` opens its own SMTP connection (and TLS handshake) and closes it, a TIME_WAIT entry per mail. One transport made before the loop with `pool: true` reuses its connections (close it when done).',
      proxyNoAgent: '`{{api}}` without an `agent` opens a new upstream connection for every proxied request and closes it after the response (http-proxy sends `Connection: close`). Each proxied request leaves a TIME_WAIT entry on this host.',
    },
    docs: 'docs/rules/connection-churn.md',
    explanation: 'time-wait',
    // An agent made per call and never destroyed is one defect; the shared agent this rule's fix makes ends both.
    supersedes: ['unclosed-connection'],
  },
  check(ctx: RuleContext) {
    const reported = new Set<ts.Node>();
    const report = (node: ts.Node, messageId: string, data: Record<string, string>, related: RelatedLocation[], fixes: Fix[] = [], alongside = false, covering: ts.Node[] = []) => {
      // `secure ? new https.Agent(o) : new http.Agent(o)`: one agent per call, whichever branch makes it (a fix for one branch leaves the other).
      const value = branchValue(node), otherBranch = value !== node && findNode(value, (n) => n !== node && ts.isNewExpression(n));
      if (reported.has(value)) return;
      reported.add(value);
      const covers = coveredCalls.get(node) ?? covering.map((c) => ({ line: reportRange(c).line, column: reportRange(c).column }));
      ctx.report({ messageId, message: format(rule.meta.messages[messageId], data), ...reportRange(node), related, fixes: otherBranch ? [] : fixes, covers, alongside });
    };
    // The calls of a module-local factory a finding is reported in (CatalogCreator.factory), each of them also its place:
    // unclosed-connection's finding at such a call is this one's, whose fix (one shared client) ends it too.
    const coveredCalls = new Map<ts.Node, Array<{ line: number; column: number }>>();
    // For a client the calls close again, not a call that leaves it open on some path: that is unclosed-connection's own finding.
    const coverCalls = (factory: NonNullable<CatalogCreator['factory']>, closed = false) => {
      const calls = closed ? factory.calls.filter((c) => !leftOpenOnSomePaths(ctx, c)) : factory.calls;
      if (!coveredCalls.has(factory.creation)) coveredCalls.set(factory.creation, calls.map((c) => ({ line: reportRange(c).line, column: reportRange(c).column })));
    };
    const rel = (n: ts.Node, message: string): RelatedLocation[] => [{ file: ctx.file, ...nodeRange(n), message }];
    forEachCall(ctx, (node) => {
      const shared = sharedClientOf(ctx, node);
      const made = shared && madePerCall(ctx, node, shared.spec);
      if (shared && made && !(made.capturedOpen && (KINDS[shared.spec.kind].longLived || !leftOpenWhenItWorks(ctx, node)))) {
        // Closed on some paths only: the paths that leave it open are unclosed-connection's finding, the graver
        // one, and this rule would hide it (it supersedes that rule at the same place).
        const leaks = !!made.close && leftOpenOnSomePaths(ctx, node);
        // In a promise's executor, the calls are those of the function that makes the promise.
        const inner = enclosingFunction(node);
        const fn = inner && promiseExecutor(inner.parent) === inner ? enclosingFunction(inner) ?? inner : inner;
        const data = { label: shared.label, fn: fn ? describe(fn) : 'this function' };
        // Made in a module-local factory: reported there, once for all its callers, with this call beside it.
        const where = shared.factory?.creation ?? node;
        const call = (message: string): RelatedLocation[] => (shared.factory ? (coverCalls(shared.factory, !!made.close), rel(node, message)) : []);
        // Never closed: a pool is left alone by unclosed-connection (meant to outlive its maker), but one
        // made per call that nothing keeps is a leak as much as churn; this rule's message says both. A
        // client unclosed-connection reports (Redis, MongoDB, AMQP, a pool that keeps idle connections: droppedPool) is
        // left to it, unless the code that makes it runs for every event, request or item (an AMQP connection per
        // published order, a pooled SMTP transport per alert): then they pile up with the events, and sharing one is the fix.
        if (!made.close) {
          // A client over HTTP keep-alive (Elasticsearch, ClickHouse) drops its idle sockets itself: what piles up is TIME_WAIT.
          const open = made.loop ? 'clientPerIterationOpen' : shared.spec.modules.some((m) => HTTP_POOL_CLIENT_MODULES.has(m)) ? 'httpClientPerCallOpen' : 'clientPerCallOpen';
          // gRPC clients left open share one connection per target (the global subchannel pool): what piles up is channels.
          const perEvent = made.loop || (!!fn && runsForEveryEvent(ctx, fn));
          const leftToLeakRule = KINDS[shared.spec.kind].longLived ? leakReportsOf(ctx, node).some(droppedPool) : true;
          // Each call's server picked by its caller (a device the request names): one client per server, kept and reused.
          const shareIt = made.serverPerCall ? 'Keep one per server (a map keyed by its address) and reuse it.' : SHARE_IT;
          // Code that closes another of the function's connections (or a channel of this one: `await ch.close()`) but not
          // this: the close it forgot is unclosed-connection's finding too, as its reader sees it; both stand.
          const names = new Set(keptIn(node));
          const forgotten = !!fn && closesSibling(fn, names, true);
          // Code that ties this one to the end of what it serves and undoes its use there (`socket.on('close', () =>
          // sub.unsubscribe(ch))`): one made per request is its design, and the close it forgot there is the finding, unclosed-connection's.
          const tiedToTeardown = !!fn && touchedInTeardown(fn, names);
          if ((!leftToLeakRule || perEvent) && !tiedToTeardown) report(where, shared.spec.kind === 'grpc-client' && !made.loop ? 'grpcClientPerCallOpen' : open, { ...data, shareIt: shared.spec.kind === 'grpc-client' && !made.loop ? shareIt.replace(/^./, (c) => c.toLowerCase()) : shareIt }, [...rel(where, 'made here, and never closed'), ...call('made by this call, on every call of the function around it')], [], forgotten);
        } else if (!leaks) {
          report(where, made.loop ? 'clientPerIteration' : 'clientPerCall', data,
            [...rel(made.close!, made.loop ? 'closed again before the next iteration' : 'closed again before the call returns'), ...call('made by this call')]);
        }
        return;
      }
      // Left open on some path, it is unclosed-connection's finding, the graver one.
      const oneShot = oneShotSocketOf(ctx, node);
      if (oneShot) {
        if (!leftOpenOnSomePaths(ctx, node)) {
          const tcp = oneShot.handshake === ''; // a plain TCP or TLS socket: no protocol handshake of its own
          report(node, oneShot.loop ? 'socketPerIteration' : tcp ? 'tcpSocketPerCall' : 'socketPerCall', { label: oneShot.creator.label, fn: describe(oneShot.owner), handshake: oneShot.handshake },
            rel(oneShot.close, oneShot.loop ? 'closed again before the next iteration' : 'closed again after its one exchange'));
        }
        return;
      }
      if (shared) return;
      if (ts.isNewExpression(node)) {
        const agent = agentOf(ctx, node);
        if (!agent) return;
        const { label } = agent;
        const opts = objectOf(ctx, node.arguments?.[label.startsWith('undici.') && label !== 'undici.Agent' ? 1 : 0]);
        if (opts && label.endsWith('.Agent') && !label.startsWith('undici')) keepAliveOff(ctx, opts, report, rel);
        perCall(ctx, node, agent, report, rel);
        return;
      }
      // Made directly, or by a factory of the module (`function transport() { return nodemailer.createTransport(o) }`):
      // reported at the factory's creation, once for all the file's calls of it.
      const smtpFactory = ts.isCallExpression(node) ? smtpFactoryOf(ctx, node) : undefined;
      const smtpOptions = smtpFactory?.options ?? smtpTransportOptions(ctx, node);
      if (smtpOptions) {
        const fn = enclosingFunction(node);
        const loop = loopAround(node, fn);
        const where = smtpFactory?.creation ?? node;
        if (smtpFactory) coverCalls(smtpFactory);
        if (loop) report(where, 'smtpPerIteration', {}, rel(loop, 'the loop that makes one per iteration'));
        // Made for each call's one mail (held in a local, used by its own calls only, not for a batch), in a function the
        // project calls for each item of a loop or for every request or event (an outbid notice per bid, a confirmation
        // per booking): each mail is a new SMTP connection, where one shared transport with `pool: true` keeps a few
        // open. Not where the code runs at most once a second (an alert throttled per subject).
        else if (fn && sendsMail(node, fn) && !serverFromArguments(ctx, smtpOptions, fn, node.arguments[0] && skipOuter(node.arguments[0])) &&
            (calledInBatches(ctx, fn) || (runsForEveryEvent(ctx, fn) && !runsSeldom(ctx, node))) && madePerCall(ctx, node, SMTP_TRANSPORT)?.capturedOpen === false) {
          report(where, 'smtpPerCall', { fn: describe(fn) }, [...rel(smtpOptions, 'its options, without `pool: true`'), ...(smtpFactory ? rel(node, 'made by this call, for its one mail') : [])]);
        }
        return;
      }
      const proxy = perRequestProxy(ctx, node);
      if (proxy) {
        if (!inTestCode(node)) proxyWithoutAgent(ctx, node, proxy, report, rel);
        return;
      }
      const kind = requestKind(ctx, node);
      // A probe every 30 s makes a new connection on purpose, and too rarely to pile up in TIME_WAIT;
      // a test or a script's main() makes a handful. Reported at the request, which is what opens the
      // connection; the option or header that makes it a throw-away one is the related location.
      if (kind === 'request' && !runsRarely(ctx, enclosingFunction(node)) && !runsSeldom(ctx, node)) {
        factoryInOtherFile(ctx, node, report);
        for (const arg of node.arguments) {
          // `options.agent = false` on the options variable before the request (also under a condition).
          const assigned = agentFalseAssigned(ctx, arg, node);
          const api = nodeHttpApi(ctx, node);
          if (assigned && api && !isUpgradeRequest(ctx, node)) report(node, 'agentFalse', { api }, rel(assigned, '`agent = false`: a throw-away agent for this request'));
          const obj = objectOf(ctx, arg);
          if (!obj) continue;
          // A CONNECT tunnel needs a connection of its own, and its socket is detached and handed on
          // (to the caller, or to the agent that pools it): no agent could have reused it.
          if (constValue(ctx, findProp(obj, 'method').value) === 'CONNECT') continue;
          const agent = findProp(obj, 'agent');
          // A health probe (`path: target.healthPath ?? '/healthz'`) wants a fresh handshake each time, at the probe's own rate.
          if (api && agent.prop && !agent.opaque && constValue(ctx, agent.value) === false && !isUpgradeRequest(ctx, node) && !(probesHealth(findProp(obj, 'path').value) && !runsFast(ctx, node, enclosingFunction(node)))) {
            report(node, 'agentFalse', { api }, rel(agent.prop, '`agent: false`: a throw-away agent for this request'));
          }
          const headers = objectOf(ctx, findProp(obj, 'headers').value);
          const conn = headers && connectionCloseHeader(headers);
          if (conn) report(node, 'requestClose', {}, rel(conn, 'the `Connection: close` header'));
        }
      }
      const everySecond = ts.isCallExpression(node) ? nodeFetchClosingEach(ctx, node) : undefined;
      if (everySecond) report(node, 'nodeFetchClose', {}, rel(everySecond, 'the timer that runs it'));
      const m = methodCall(node);
      if (m) headerCall(ctx, m, report, rel);
    });
  },
};


/** The request's path is (or defaults to) a health endpoint: `'/healthz'`, `target.healthPath ?? '/health'`. */
function probesHealth(path: ts.Expression | undefined): boolean {
  const isHealth = (n: ts.Node) => ts.isStringLiteralLike(n) && HEALTH_PATH.test(n.text);
  return !!path && (isHealth(path) || !!findNode(path, isHealth));
}

/** `http.request` / `https.get`: the Node API a request call resolves to. */
function nodeHttpApi(ctx: RuleContext, node: ts.CallExpression): string | undefined {
  const o = ctx.resolver.ofBinding(node.expression);
  return o && !o.instance && (o.module === 'http' || o.module === 'https') ? `${o.module}.${o.path.join('.')}` : undefined;
}

function keepAliveOff(ctx: RuleContext, opts: ts.ObjectLiteralExpression, report: Report, rel: Rel): void {
  const ka = findProp(opts, 'keepAlive');
  const max = findProp(opts, 'maxSockets');
  if (!ka.prop || ka.opaque || max.opaque) return;
  const byDefault = constValue(ctx, ka.value) !== false && falseByDefault(ctx, ka.value);
  if (constValue(ctx, ka.value) !== false && !byDefault) return;
  const n = constValue(ctx, max.value);
  if (typeof n !== 'number' || !Number.isFinite(n)) return;
  if (byDefault) return report(ka.prop, 'keepAliveOffByDefault', {}, rel(max.prop!, `maxSockets: ${n}`));
  const fixes: Fix[] = ts.isPropertyAssignment(ka.prop) && opts.getSourceFile() === ctx.sourceFile
    ? [{ title: 'Set `keepAlive: true`', safe: false, edits: [edit(ctx.sourceFile, ctx.file, ka.prop.initializer.getStart(ctx.sourceFile), ka.prop.initializer.getEnd(), 'true')] }]
    : [];
  report(ka.prop, 'keepAliveOff', {}, rel(max.prop!, `maxSockets: ${n}`), fixes);
}

/** An agent/dispatcher built inside a function or loop and used for one request only. */
function perCall(ctx: RuleContext, node: ts.NewExpression, { label, spec }: { label: string; spec: CreatorSpec }, report: Report, rel: Rel): void {
  // node-fetch's `agent: (url) => new https.Agent(o)`: a function it calls for every request it makes, so the agent is made
  // per request of the function around it.
  const agentFn = agentOptionFunction(node);
  const fn = agentFn ? enclosingFunction(agentFn) : enclosingFunction(node);
  let loop = loopAround(node, fn);
  let serverLoop: ts.IterationStatement | undefined;
  if ((!fn && !loop) || (fn && ts.isConstructorDeclaration(fn))) return;
  // A script's main(), a `listen` callback: made once, so nothing piles up; nor in tests, which make a
  // handful of connections (a loop in a test still churns).
  if (runsSeldom(ctx, node)) return;
  // `for (const node of nodes) new Client(\`http://\${node}:8500\`)`: a client bound to a different origin
  // each time round could not have been reused anyway.
  // Unless the loop reads the same origins on every call of a function that runs for every event: made again for each.
  if (loop && spec.originBound && node.arguments?.[0] && usesLoopVariable(node.arguments[0], loop)) {
    if (!fn || !sameServersEveryEvent(ctx, loop, fn)) return;
    [serverLoop, loop] = [loop, undefined];
  }
  const scope: ts.Node = loop ?? fn!;
  const fnName = fn ? describe(fn) : 'the loop';
  const messageId = loop ? 'perIteration' : 'perCall';
  // `dispatcher: proxy ? new ProxyAgent(proxy) : undefined`: an agent per call whenever it is made.
  let value: ts.Node = agentFn ?? branchValue(node);
  // `return new Agent(…)` or `return { agent: new http.Agent() }` from a function whose every call feeds one request.
  const product = fn && !loop ? returnedAgent(ctx, value, fn) : undefined;
  if (product) {
    const uses = requestsFedBy(ctx, fn!, product).filter((u) => !runsSeldom(ctx, u.request));
    // unclosed-connection's finding at such a call (the agent is never closed either) is this one's: one defect, one fix.
    if (uses.length) report(node, messageId, { label, fn: fnName }, rel(uses[0].request, 'a request that gets a new one from it'), [], false, uses.map((u) => u.call));
    return;
  }
  let parent = value.parent;
  // got's `agent: { https: new https.Agent() }` (or `opts.agent = { http: …, https: … }`): the agent of that request's protocol.
  if (ts.isPropertyAssignment(parent) && GOT_AGENT_KEYS.has(propName(parent) ?? '') && ts.isObjectLiteralExpression(parent.parent) &&
      ((ts.isPropertyAssignment(parent.parent.parent) && propName(parent.parent.parent) === 'agent') ||
       (ts.isBinaryExpression(parent.parent.parent) && ts.isPropertyAccessExpression(parent.parent.parent.left) && parent.parent.parent.left.name.text === 'agent') ||
       // `const agent = { https: new https.Agent() }`, then `got(url, { agent })`: followed as the const below.
       (ts.isVariableDeclaration(parent.parent.parent) && parent.parent.parent.initializer === parent.parent))) {
    value = parent.parent;
    parent = parent.parent.parent;
  }
  // Inline: `fetch(url, { dispatcher: new Agent() })`, `http.get(url, { agent: new http.Agent() })`.
  // And through a const of options passed to one request: `const options = { httpsAgent: new https.Agent() }; axios.request(options)`.
  if (ts.isPropertyAssignment(parent) && parent.initializer === value && AGENT_KEYS.has(propName(parent) ?? '')) {
    const inline = argumentOf(parent.parent);
    const call = inline ?? optionsPassedTo(ctx, parent.parent, scope);
    // Replaced on some path before the request (`options.httpsAgent = new https.Agent(tcpOptions)`): that one is reported instead.
    if (!call || (!inline && reassignsOption(ctx, parent.parent, propName(parent), scope))) return;
    const kind = requestKind(ctx, call);
    if (kind === 'factory' && !localOnly(ctx, call)) return;
    if (!kind || unusedForProtocol(ctx, call, propName(parent))) return;
    report(node, messageId, { label, fn: fnName }, rel(call, kind === 'factory' ? 'the client made with it, again on every call' : 'the only request that uses it'), hoistFix(ctx, node, label));
    return;
  }
  // `options.httpAgent = new http.Agent(…)` on such a const of options.
  if (ts.isBinaryExpression(parent) && parent.operatorToken.kind === ts.SyntaxKind.EqualsToken && parent.right === value &&
      ts.isPropertyAccessExpression(parent.left) && AGENT_KEYS.has(parent.left.name.text) && ts.isIdentifier(parent.left.expression)) {
    const holder = ctx.resolver.symbolOf(parent.left.expression)?.valueDeclaration;
    const init = holder && ts.isVariableDeclaration(holder) && holder.initializer ? skipOuter(holder.initializer) : undefined;
    const call = init && ts.isObjectLiteralExpression(init) ? optionsPassedTo(ctx, init, scope) : undefined;
    if (call && requestKind(ctx, call) === 'request') report(node, messageId, { label, fn: fnName }, rel(call, 'the only request that uses it'));
    return;
  }
  // `const agent = new Agent(); await fetch(url, { dispatcher: agent }); await agent.close();`
  const decl = parent;
  if (!ts.isVariableDeclaration(decl) || decl.initializer !== value || !ts.isIdentifier(decl.name)) return;
  const sym = ctx.resolver.symbolOf(decl.name);
  const uses: ts.CallExpression[] = [];
  let escapes = false;
  let closed = false;
  const visit = (n: ts.Node): void => {
    if (escapes) return;
    if (ts.isIdentifier(n) && n !== decl.name && ctx.resolver.symbolOf(n) === sym) {
      // `return function call(path) { https.request({ agent }) }`: every call of what it returns reuses it.
      // So does every request of a route handler the function registers (`app.get(path, async () => fetch(u, { dispatcher }))`).
      if (inReturnedFunction(n, fn) || inPerEventFunction(n, fn)) {
        escapes = true;
        return;
      }
      const p = n.parent;
      const option = gotAgentOption(n) ?? ((ts.isPropertyAssignment(p) && p.initializer === n) || ts.isShorthandPropertyAssignment(p) ? p : undefined);
      if (option) {
        const call = argumentOf(option.parent) ?? optionsPassedTo(ctx, option.parent, scope);
        // Or a client made with it and dropped in the function (`const proxy = httpProxy.createProxyServer({ target, agent })`).
        const kind = AGENT_KEYS.has(propName(option) ?? '') && call ? requestKind(ctx, call) : undefined;
        // Or a project helper that destructures it from the options it is given into its one request.
        const helper = !kind && call ? destructuredOptionHelper(ctx, option, call) : undefined;
        if (kind === 'request' || (kind === 'factory' && localOnly(ctx, call!)) || helper) {
          if (!uses.includes(call!)) uses.push(call!); // `{ httpAgent: a, httpsAgent: a }` is one request
          return;
        }
      }
      if (ts.isPropertyAccessExpression(p) && p.expression === n && ['close', 'destroy'].includes(p.name.text) && ts.isCallExpression(p.parent)) {
        closed = true;
        return;
      }
      // `getJson(path, agent)`: a project helper that makes one request with it.
      const helper = requestHelperCall(ctx, n);
      if (helper) {
        uses.push(helper);
        return;
      }
      // `await pool.request({ path })` on an undici Client/Pool made for it: one request, one connection.
      if (ts.isPropertyAccessExpression(p) && p.expression === n && DISPATCH_METHODS.has(p.name.text) && ts.isCallExpression(p.parent) &&
          p.parent.expression === p && label.startsWith('undici.')) {
        uses.push(p.parent);
        return;
      }
      // `...(dispatcher ? { dispatcher } : {})`: tested, not used.
      if ((ts.isConditionalExpression(p) && p.condition === n) || ts.isIfStatement(p) || (ts.isPrefixUnaryExpression(p) && p.operator === ts.SyntaxKind.ExclamationToken)) return;
      escapes = true;
      return;
    }
    ts.forEachChild(n, visit);
  };
  visit(scope);
  // One request per call, or per attempt of a retry loop that returns once one succeeds. In a route
  // handler or a listener, a few requests side by side (`Promise.all([a(agent), b(agent)])`) too: every
  // request or event opens them all again.
  if (escapes || uses.length === 0) return;
  // An agent for a batch (its requests in a loop of their own, or side by side) is the reuse; but one never closed,
  // made for every request or event, leaves its keep-alive sockets behind each time: they pile up with the events.
  const batch = (uses.length > 1 && (loop || !runsPerEvent(fn))) ||
    (!loop && uses.some((u) => { const l = loopAround(u, scope); return !!l && l !== serverLoop && (uses.length > 1 || !isRetryLoop(l)); }));
  if (batch) {
    if (!closed && !loop && fn && runsForEveryEvent(ctx, fn) && leftOpenWhenItWorks(ctx, node)) {
      report(node, 'httpClientPerCallOpen', { label, fn: fnName, shareIt: SHARE_IT }, rel(uses[0], 'the first of the requests that use it'));
    }
    return;
  }
  // Closed on some paths only: the paths that leave it open are unclosed-connection's finding, the
  // graver one, which this rule would hide (as for shared clients above).
  if (closed && leftOpenOnSomePaths(ctx, node)) return;
  report(node, uses.length > 1 ? 'perCallRequests' : messageId, { label, fn: fnName }, rel(uses[0], uses.length > 1 ? 'the first of the requests that use it' : 'the only request that uses it'));
}

/**
 * `n` is in a function nested in `fn` that runs later for each request or event (a route handler, a listener), not
 * one an array method runs during the call (`kits.map(async (k) => pool.request(…))`).
 */
function inPerEventFunction(n: ts.Node, fn: ts.Node | undefined): boolean {
  for (let f = enclosingFunction(n); f && f !== fn; f = enclosingFunction(f)) {
    const call = skipParensUp(f).parent;
    const during = ts.isCallExpression(call) && ts.isPropertyAccessExpression(call.expression) && ARRAY_CALLBACKS.has(call.expression.name.text);
    if (!during && runsPerEvent(f)) return true;
  }
  return false;
}

/** `agent: (url) => (secure ? new https.Agent(o) : new http.Agent(o))`: the option's function, whose value is the agent. */
function agentOptionFunction(node: ts.NewExpression): ts.ArrowFunction | undefined {
  const value = branchValue(node);
  const fn = value.parent;
  return ts.isArrowFunction(fn) && fn.body === value && ts.isPropertyAssignment(fn.parent) && fn.parent.initializer === fn && propName(fn.parent) === 'agent' ? fn : undefined;
}

/** `node`, or the conditional (and parentheses) it is a branch of: `proxy ? new ProxyAgent(proxy) : undefined`. */
function branchValue(node: ts.Node): ts.Node {
  let value = node;
  while ((ts.isConditionalExpression(value.parent) && value.parent.condition !== value) || ts.isParenthesizedExpression(value.parent)) value = value.parent;
  return value;
}

/** The leak engine follows the resource made here and finds paths that leave it open. */
function leftOpenOnSomePaths(ctx: RuleContext, node: ts.Node): boolean {
  return leakReportsOf(ctx, node).some((r) => r.exits.length > 0);
}

/**
 * Left open on a path where nothing failed (a return, the end of the function, a settled promise), for a client (a
 * pool's callbacks may keep it: `return { get: (id) => pool.query(…) }`). Not only when the connection it serves goes
 * away (a NATS connection per browser socket): kept by that connection's listeners until then, it is
 * unclosed-connection's finding, whose fix closes it there.
 */
function leftOpenWhenItWorks(ctx: RuleContext, node: ts.Node): boolean {
  return leakReportsOf(ctx, node).some((r) => r.exits.some((x) => OPEN_WHEN_IT_WORKS.has(x.kind)));
}
/** The walk's exits on a path where nothing failed (not a handle's or a class's verdict: forgotten-by-handles.ts, fields.ts). */
const OPEN_WHEN_IT_WORKS = new Set<ExitKind>(['return', 'end', 'loop', 'breaks', 'discard', 'settle', 'scriptEnd']);

/** The leak engine's reports of the resource `node` makes (reported there, or opened by a call around it). */
function leakReportsOf(ctx: RuleContext, node: ts.Node) {
  return ctx.leakReports().filter((r) => r.subject.report === node || (!!r.subject.creation && r.subject.creation.pos <= node.pos && node.end <= r.subject.creation.end));
}

/** `getJson(path, agent)`, where the project function `getJson` gives that parameter to one request of its own as its agent. */
function requestHelperCall(ctx: RuleContext, arg: ts.Identifier): ts.CallExpression | undefined {
  const param = projectParameterFor(ctx, arg);
  return param && onlyRequestOf(ctx, param.name) ? arg.parent as ts.CallExpression : undefined;
}

/**
 * `dispatcher: dispatcherFor(endpoint)` where `dispatcherFor`, in another file, returns a new agent:
 * reported here, at the call, since this file is where the per-request use is seen (the helper's own
 * file says nothing of its callers). A helper of this file is reported at its `new` (perCall).
 */
function factoryInOtherFile(ctx: RuleContext, request: ts.CallExpression, report: Report): void {
  // Once per request: got's `agent: { http: makeAgent('http'), https: makeAgent('https') }` uses one of the two.
  let reported = false;
  const check = (call: ts.CallExpression): void => {
    if (reported) return;
    const fn = projectFunctionOf(ctx, call);
    const made = fn && fn.getSourceFile() !== ctx.sourceFile ? agentMadeBy(ctx, fn, (x) => agentOf(ctx, x)?.label) : undefined;
    if (made && requestFed(ctx, call, made.product) === request) {
      const at = made.node.getSourceFile();
      report(call, 'factoryPerCall', { label: made.label, fn: describe(fn!) }, [{ file: path.resolve(at.fileName), ...nodeRange(made.node), message: 'the agent it makes on every call' }]);
      reported = true;
    }
  };
  const visit = (n: ts.Node): void => {
    if (ts.isCallExpression(n) && n !== request) return check(n);
    // `{ dispatcher }` set from `const dispatcher = createDispatcher()`.
    const p = n.parent;
    if (ts.isIdentifier(n) && ((ts.isPropertyAssignment(p) && p.initializer === n) || ts.isShorthandPropertyAssignment(p)) && AGENT_KEYS.has(propName(p) ?? '')) {
      const decl = ctx.resolver.symbolOf(n)?.valueDeclaration;
      const init = decl && ts.isVariableDeclaration(decl) && decl.initializer && skipOuter(decl.initializer);
      if (init && ts.isCallExpression(init)) check(init);
    }
    ts.forEachChild(n, visit);
  };
  for (const arg of request.arguments) visit(arg);
}


/** A client instance (`axios.create(...)`) that lives only in this function: used as `api.get()` and dropped. */
function localOnly(ctx: RuleContext, call: ts.CallExpression): boolean {
  const p = call.parent;
  if (ts.isPropertyAccessExpression(p) && ts.isCallExpression(p.parent)) return true;
  if (!ts.isVariableDeclaration(p) || !ts.isIdentifier(p.name) || !isConst(p)) return false;
  const sym = ctx.resolver.symbolOf(p.name);
  const fn = enclosingFunction(call);
  if (!fn) return false;
  let ok = true;
  const visit = (n: ts.Node): void => {
    if (ts.isIdentifier(n) && n !== p.name && ctx.resolver.symbolOf(n) === sym) {
      // `api.get(…)`, and its set-up: `api.interceptors.request.use(addKey)`; or the instance called itself
      // (`client(url)` of got, `api(config)` of axios: a request).
      let member: ts.Node = n;
      while (ts.isPropertyAccessExpression(member.parent) && member.parent.expression === member) member = member.parent;
      if (!ts.isCallExpression(member.parent) || member.parent.expression !== member) ok = false;
    }
    ts.forEachChild(n, visit);
  };
  visit(fn);
  return ok;
}

function describe(fn: ts.SignatureDeclaration): string {
  if (fn.name && (ts.isIdentifier(fn.name) || ts.isPrivateIdentifier(fn.name))) return `\`${fn.name.text}\``;
  if (ts.isVariableDeclaration(fn.parent) && ts.isIdentifier(fn.parent.name)) return `\`${fn.parent.name.text}\``;
  return 'this function';
}

export default rule;
