// Pools kept in a field are meant to live on (fields.ts leaves them alone), except in a class that
// closes its other connections and forgets one pool: `close() { this.transactional.close() }` of a
// mailer that also keeps `this.bulk`, a pooled SMTP transport. Its owner ends the object's life with
// that release, and the forgotten pool's connections keep the process (or the test run) alive.
import { ts } from 'ts-morph';
import { classesIn } from './ast';
import { CreatorFinder } from './creators';
import { fieldAssignments, fieldUses, FieldLeak, FIELD_KINDS, report } from './fields';

/** The kinds checked here and the field kinds fields.ts checks, found in one scan of the class. */
const KINDS: ReadonlySet<string> = new Set([...FIELD_KINDS, 'pool']);

export function forgottenPoolLeaks(sf: ts.SourceFile, creators: CreatorFinder): FieldLeak[] {
  const out: FieldLeak[] = [];
  for (const cls of classesIn(sf)) checkClass(cls, creators, out);
  return out;
}

function checkClass(cls: ts.ClassLikeDeclaration, creators: CreatorFinder, out: FieldLeak[]): void {
  const assignments = fieldAssignments(cls, creators, false, KINDS);
  const pools = assignments.filter((a) => a.match.kind === 'pool');
  if (!pools.length) return;
  const fields = new Set(assignments.map((a) => a.field));
  const uses = new Map([...fields].map((f) => [f, fieldUses(cls, f)]));
  for (const a of pools) {
    const own = uses.get(a.field)!;
    if (own.releases || own.handsOver) continue;
    if ([...fields].some((f) => f !== a.field && uses.get(f)!.releases)) {
      const leak = report(a, { node: a.call, kind: 'classNeverCloses' });
      leak.subject.longLived = false; // not meant to outlive the object: its siblings end with it
      out.push(leak);
    }
  }
}
