// Pools, Kafka clients, NestJS ClientProxies, WebSockets and servers kept in a field are left alone by fields.ts (a pool
// or a server is meant to live on; a Kafka client or a ClientProxy holds nothing until used; a WebSocket kept for good is a
// live client), except in a class that closes its other connections and forgets one of them: `close() {
// this.transactional.close() }` of a mailer that also keeps `this.bulk`, a pooled SMTP transport; a `stop()`
// disconnecting the consumer and not the admin client that polls its lag. Its owner ends the object's life
// with that release, and the forgotten connections keep the process (or the test run) alive.
import { ts } from 'ts-morph';
import { calleeName, classesIn, findNode, stripParens, thisField } from './ast';
import { TIMER_CLEARS } from './call-shapes';
import { ANY_RELEASE, KINDS as RESOURCE_KINDS } from './kinds';
import { storedEntries } from './evictions';
import { classHolder } from './collection-holders';
import { CreatorFinder } from './creators';
import { Assignment, fieldAssignments, FieldLeak, FIELD_KINDS, overwritesOpenField, report } from './fields';
import { BaseClassOf, fieldUses, usesIn } from './field-uses';
import { sameFileFunction, type ProjectFunctionOf } from './borrowing';
import { closedBySignal } from './signal-closes';
import { nameOf, thisCalls } from './class-calls';

/**
 * Kinds fields.ts leaves alone that a class still must not forget once it releases its siblings: pools,
 * agents and dispatchers (an undici `Pool` to an archive beside the HTTP/2 session its `close()` closes),
 * Kafka clients (connected by their `connect()`; an admin client polling lag beside a consumer),
 * WebSockets (a venue's book stream beside the trades stream its `close()` closes), UDP sockets (a bound
 * telemetry socket beside the control connection its `close()` ends) and servers it starts (a probe
 * listener beside the metrics server its `close()` closes).
 */
const FORGETTABLE = new Set(['pool', 'agent', 'broker-client', 'websocket', 'udp-socket', 'nest-client', 'server']);

/** The kinds checked here and the field kinds fields.ts checks, found in one scan of the class. */
const KINDS: ReadonlySet<string> = new Set([...FIELD_KINDS, ...FORGETTABLE]);

export function forgottenConnectionLeaks(sf: ts.SourceFile, creators: CreatorFinder, functionOf?: ProjectFunctionOf, baseOf?: BaseClassOf): FieldLeak[] {
  const out: FieldLeak[] = [];
  for (const cls of classesIn(sf)) checkClass(cls, creators, out, functionOf, baseOf);
  return out;
}

function checkClass(cls: ts.ClassLikeDeclaration, creators: CreatorFinder, out: FieldLeak[], functionOf?: ProjectFunctionOf, baseOf?: BaseClassOf): void {
  // Also through a local (`const ws = new WebSocket(url); this.account = ws`) the method does not close itself.
  const viaLocal = fieldAssignments(cls, creators, true, KINDS).filter((a) => !closesLocal(a));
  const assignments = [...fieldAssignments(cls, creators, false, KINDS), ...viaLocal];
  // Kept through a local, any connection: fields.ts follows only what is assigned to the field itself.
  // Any connection too that the class closes only in passing (to replace it, or when setting it up fails).
  const forgettable = assignments.filter((a) => FORGETTABLE.has(a.match.kind) || viaLocal.includes(a) || releasedOnlyInPassing(cls, a));
  // A Kafka client or a ClientProxy the class connects, given anew while it may be connected (a restart on the
  // producer's own REQUEST_TIMEOUT): the old one's broker connections stay open, whatever the class releases.
  for (const a of assignments) {
    if (OPENED_BY_USE.has(a.match.kind) && !viaLocal.includes(a) && opens(cls, a) && overwritesOpenField(a, cls)) out.push(report(a, { node: a.call.parent, kind: 'overwrite' }));
  }
  forgottenEntries(cls, creators, out, functionOf);
  if (!forgettable.length) return;
  // Siblings whose release ends the object's life: connections, agents and dispatchers, and project objects
  // that own a connection (`this.orders = new OrderClient(url)`).
  const fields = new Set([...assignments, ...fieldAssignments(cls, creators, false, SIBLINGS)].map((a) => a.field));
  const uses = new Map([...fields].map((f) => [f, fieldUses(cls, f, functionOf, baseOf)]));
  for (const a of forgettable) {
    // `subscribe() { this.live = new WebSocket(url); …; return this.live }`: still the class's, kept in its field.
    const own = fieldUses(cls, a.field, functionOf, baseOf, a.member, a.match.through);
    const inPassing = own.releases && releasedOnlyInPassing(cls, a);
    const skippedBy = own.releases && !inPassing && !own.handsOver ? endSkips(cls, a.field, functionOf) : undefined;
    if ((own.releases && !inPassing && !skippedBy) || own.handsOver || closedBySignal(cls, a.call)) continue;
    // A server binds its port only once it listens; one the class never starts holds nothing.
    if (a.match.kind === 'server' && !opens(cls, a)) continue;
    if (skippedBy || [...fields].some((f) => f !== a.field && uses.get(f)!.releases) || endOfLifeReleases(cls, a.field) || (a.match.kind === 'websocket' && endOfLifeClearsTimers(cls))) {
      const leak = report(a, skippedBy ? { node: skippedBy, kind: 'endSkips' } : { node: a.call, kind: inPassing ? 'endForgets' : 'classNeverCloses' });
      leak.subject.longLived = false; // not meant to outlive the object: its siblings end with it
      out.push(leak);
    }
  }
}

const SIBLINGS: ReadonlySet<string> = new Set(['wrapper', 'agent']);

/** Kinds that hold no connection until a call opens one (fields.ts leaves them alone). */
const OPENED_BY_USE: ReadonlySet<string> = new Set(['broker-client', 'nest-client']);

/**
 * The class opens what field `a.field` holds: starts the server (`this.probes.listen(port)`, or the call that
 * opens its kind of server, a gRPC server's `bindAsync()`; `http.createServer(h).listen(port)` stored there), or
 * connects the client (`await this.producer.connect()`).
 */
function opens(cls: ts.ClassLikeDeclaration, a: Assignment): boolean {
  const starts = new Set([...(a.match.kind === 'server' ? ['listen'] : []), ...(a.match.opensWith ?? [])]);
  if (ts.isPropertyAccessExpression(a.call.parent) && starts.has(a.call.parent.name.text)) return true;
  return !!findNode(cls, (n) => ts.isCallExpression(n) && ts.isPropertyAccessExpression(n.expression) && starts.has(n.expression.name.text) &&
    thisField(stripParens(n.expression.expression)) === a.field);
}

/**
 * The method that makes it through a local closes that local itself (`ws.close()`, `ws.terminate()`), not only in
 * a `catch` that does not make it: that is a failed start-up's cleanup (`catch (e) { cmd.destroy(); events.destroy();
 * throw e }`), which says nothing of the connection a successful one keeps.
 */
function closesLocal(a: Assignment): boolean {
  const name = a.local;
  if (!name) return true;
  const failureCleanup = (n: ts.Node) => {
    for (let p = n.parent; p && p !== a.member; p = p.parent) if (ts.isCatchClause(p)) return !(p.pos <= a.call.pos && a.call.end <= p.end);
    return false;
  };
  return !!findNode(a.member, (n) => ts.isCallExpression(n) && ts.isPropertyAccessExpression(n.expression) && ANY_RELEASE.has(n.expression.name.text) &&
    ts.isIdentifier(n.expression.expression) && n.expression.expression.text === name && !failureCleanup(n));
}

/** Connections a class keeps per key in a collection (evictions.ts) that reconnect or hold a socket of their own. */
const ENTRY_KINDS: ReadonlySet<string> = new Set(['socket', 'websocket', 'sio-client', 'http2-session']);

/**
 * `subscribeBuoy(id) { const ws = new WebSocket(url); this.buoySockets.add(ws); …; return () => ws.close() }` of a client whose
 * `close()` closes its transport and never looks at `this.buoySockets`: the sockets still subscribed stay open.
 */
function forgottenEntries(cls: ts.ClassLikeDeclaration, creators: CreatorFinder, out: FieldLeak[], functionOf?: ProjectFunctionOf): void {
  const holder = classHolder(cls);
  for (const e of holder.fns.flatMap((m) => storedEntries(m, holder, creators))) {
    const end = ENTRY_KINDS.has(e.match.kind) ? endSkips(cls, e.field, functionOf, (body) => !!findNode(body, (n) => holder.collection(n) === e.field)) : undefined;
    if (!end) continue;
    const leak = report({ field: e.field, call: e.call, match: e.match, member: e.member as ts.MethodDeclaration }, { node: end, kind: 'endSkips' });
    out.push({ ...leak, releaseCall: e.match.fixCall ?? RESOURCE_KINDS[e.match.kind].fixCall, resourceName: holder.display(e.field), subject: { ...leak.subject, longLived: false } });
  }
}

/** The name of a method that ends the whole object (`close()`, not `closeTelemetry()`). */
const WHOLE_END = /^[_#]*(close|stop|shutdown|dispose|destroy|teardown|terminate|disconnect|quit|end)$/i;

/**
 * `close() { this.httpAgent.destroy(); this.httpsAgent.destroy() }` of a client whose live WebSocket only `closeTelemetry()`
 * (run when its last listener unsubscribes) closes: the method that ends the whole object releases other connections and
 * neither it nor any method of the class it calls (`this.m()`, and theirs) closes the field or hands it on (`reaches`). Its name, else undefined.
 */
function endSkips(cls: ts.ClassLikeDeclaration, field: string, functionOf: ProjectFunctionOf = sameFileFunction,
  reaches = (body: ts.Node) => { const uses = usesIn(cls, body, field, functionOf); return uses.releases || uses.handsOver; }): ts.Node | undefined {
  const members = new Map<string, ts.Node>();
  for (const m of cls.members) {
    const name = m.name && (ts.isIdentifier(m.name) || ts.isPrivateIdentifier(m.name)) ? m.name.text : undefined;
    const body = ts.isMethodDeclaration(m) ? m.body : ts.isPropertyDeclaration(m) && m.initializer && (ts.isArrowFunction(m.initializer) || ts.isFunctionExpression(m.initializer)) ? m.initializer : undefined;
    if (name && body) members.set(name, body);
  }
  const ends = cls.members.filter((m): m is ts.MethodDeclaration => ts.isMethodDeclaration(m) && !!m.body && ts.isIdentifier(m.name) && WHOLE_END.test(m.name.text));
  const releasesOther = (m: ts.MethodDeclaration) => !!findNode(m.body!, (n) => ts.isCallExpression(n) && ts.isPropertyAccessExpression(n.expression) &&
    ANY_RELEASE.has(n.expression.name.text) && !!thisField(stripParens(n.expression.expression)) && thisField(stripParens(n.expression.expression)) !== field);
  const reachesField = (m: ts.MethodDeclaration): boolean => {
    const seen = new Set<ts.Node>([m.body!]);
    for (const body of seen) {
      // `await super.disconnect()`: the base class's own end may close it (field-uses.ts inheritedRelease).
      if (reaches(body) || findNode(body, (n) => ts.isCallExpression(n) && ts.isPropertyAccessExpression(n.expression) && n.expression.expression.kind === ts.SyntaxKind.SuperKeyword)) return true;
      for (const [name, other] of members) if (!seen.has(other) && thisCalls(body, name).length) seen.add(other);
    }
    return false;
  };
  if (!ends.length || ends.some(reachesField)) return undefined;
  return ends.find(releasesOther)?.name;
}

/** Methods the owner calls to end the object's life. */
export const END_OF_LIFE = /^[_#]*(close|stop|shutdown|dispose|destroy|teardown|terminate|disconnect|quit)([A-Z_]|$)/i;

/**
 * A method named for ending the object that releases something other than `field`: the pools it keeps in a Map
 * (`close() { await Promise.all([...this.pools.values()].map((p) => p.close())) }`), which fields.ts does not see as
 * fields of their own. What it leaves out of that end stays open.
 */
export function endOfLifeReleases(cls: ts.ClassLikeDeclaration, field: string): boolean {
  return cls.members.some((m) => ts.isMethodDeclaration(m) && !!m.body && ts.isIdentifier(m.name) && END_OF_LIFE.test(m.name.text) &&
    !!findNode(m.body, (n) => ts.isCallExpression(n) && ts.isPropertyAccessExpression(n.expression) && ANY_RELEASE.has(n.expression.name.text) &&
      thisField(stripParens(n.expression.expression)) !== field));
}

/**
 * `stop() { this.stopped = true; clearTimeout(this.retryTimer); clearInterval(this.pingTimer) }`: an end of the object's
 * life that stops its timers (a reconnect, a keep-alive ping) is no WebSocket kept for good; one it does not close stays open.
 */
function endOfLifeClearsTimers(cls: ts.ClassLikeDeclaration): boolean {
  return cls.members.some((m) => ts.isMethodDeclaration(m) && !!m.body && ts.isIdentifier(m.name) && END_OF_LIFE.test(m.name.text) &&
    !!findNode(m.body, (n) => ts.isCallExpression(n) && TIMER_CLEARS.has(calleeName(n) ?? '') && !!n.arguments[0] && !!thisField(stripParens(n.arguments[0]))));
}

/**
 * Every release of the field in the class is in passing: in a method that gives it a new one right after
 * (`switchStage(id) { this.telemetry.close(); this.connectTelemetry(id) }`, with `connectTelemetry()` the method that
 * makes it), or in a `catch` of that method when setting up fails (`catch (err) { await this.state.quit(); throw err }`).
 * Neither is the end of the object's life, which still forgets it.
 */
function releasedOnlyInPassing(cls: ts.ClassLikeDeclaration, a: Assignment): boolean {
  const opener = ts.isMethodDeclaration(a.member) ? nameOf(a.member) : undefined;
  if (!opener) return false;
  const releases: ts.Node[] = [];
  // Also through a local copy: `const s = this.socket; this.socket = null; s.close()`.
  const isField = (e: ts.Expression): boolean => {
    const x = stripParens(e);
    if (thisField(x) === a.field) return true;
    const scope = ts.isIdentifier(x) ? ts.findAncestor(x, ts.isFunctionLike) : undefined;
    const decl = scope && findNode(scope, (d) => ts.isVariableDeclaration(d) && ts.isIdentifier(d.name) && d.name.text === (x as ts.Identifier).text) as ts.VariableDeclaration | undefined;
    return !!decl?.initializer && thisField(stripParens(decl.initializer)) === a.field;
  };
  findNode(cls, (n) => {
    if (ts.isCallExpression(n) && ts.isPropertyAccessExpression(n.expression) && ANY_RELEASE.has(n.expression.name.text) && isField(n.expression.expression)) releases.push(n);
    return false;
  });
  return releases.length > 0 && releases.every((r) => {
    const m = ts.findAncestor(r, ts.isMethodDeclaration);
    if (m !== a.member) return !!m?.body && thisCalls(m.body, opener).some((c) => c.pos >= r.end);
    const around = ts.findAncestor(r, (x) => x === m || ts.isCatchClause(x));
    return !!around && ts.isCatchClause(around);
  });
}
