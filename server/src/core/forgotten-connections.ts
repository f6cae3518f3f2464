// Pools, Kafka clients, NestJS ClientProxies and WebSockets kept in a field are left alone by fields.ts (a pool
// is meant to live on; a Kafka client or a ClientProxy holds nothing until used; a WebSocket kept for good is a
// live client), except in a class that closes its other connections and forgets one of them: `close() {
// this.transactional.close() }` of a mailer that also keeps `this.bulk`, a pooled SMTP transport; a `stop()`
// disconnecting the consumer and not the admin client that polls its lag. Its owner ends the object's life
// with that release, and the forgotten connections keep the process (or the test run) alive.
import { ts } from 'ts-morph';
import { classesIn } from './ast';
import { CreatorFinder } from './creators';
import { fieldAssignments, FieldLeak, FIELD_KINDS, report } from './fields';
import { fieldUses } from './field-uses';

/**
 * Kinds fields.ts leaves alone that a class still must not forget once it releases its siblings: pools,
 * Kafka clients (connected by their `connect()`; an admin client polling lag beside a consumer) and
 * WebSockets (a venue's book stream beside the trades stream its `close()` closes).
 */
const FORGETTABLE = new Set(['pool', 'broker-client', 'websocket', 'nest-client']);

/** The kinds checked here and the field kinds fields.ts checks, found in one scan of the class. */
const KINDS: ReadonlySet<string> = new Set([...FIELD_KINDS, ...FORGETTABLE]);

export function forgottenConnectionLeaks(sf: ts.SourceFile, creators: CreatorFinder): FieldLeak[] {
  const out: FieldLeak[] = [];
  for (const cls of classesIn(sf)) checkClass(cls, creators, out);
  return out;
}

function checkClass(cls: ts.ClassLikeDeclaration, creators: CreatorFinder, out: FieldLeak[]): void {
  const assignments = fieldAssignments(cls, creators, false, KINDS);
  const forgettable = assignments.filter((a) => FORGETTABLE.has(a.match.kind));
  if (!forgettable.length) return;
  const fields = new Set(assignments.map((a) => a.field));
  const uses = new Map([...fields].map((f) => [f, fieldUses(cls, f)]));
  for (const a of forgettable) {
    const own = uses.get(a.field)!;
    if (own.releases || own.handsOver) continue;
    if ([...fields].some((f) => f !== a.field && uses.get(f)!.releases)) {
      const leak = report(a, { node: a.call, kind: 'classNeverCloses' });
      leak.subject.longLived = false; // not meant to outlive the object: its siblings end with it
      out.push(leak);
    }
  }
}
