// What the bundles get for `import … from 'ts-morph'` (scripts/build.mjs resolves it here): ts-morph
// itself, with its `ts` namespace copied into plain properties. Through ts-morph, each `ts.X` the
// analysis reads (`ts.isIdentifier(n)`, `ts.SyntaxKind.Block`, millions per audit) is two getter
// calls: ts-morph's re-export of `ts` and TypeScript's own export of `X`. The copy is taken once,
// when the bundle starts; the analysis reads only functions, enums and constants of TypeScript,
// never its few exports that TypeScript reassigns later (`sys`, `tracing`). Tests run the sources
// (tsx), which import ts-morph as it is.
import { ts as live } from 'ts-morph';

export * from 'ts-morph';

function plain<T extends object>(namespace: T): T {
  const copy = {} as T;
  for (const key of Object.keys(namespace) as Array<keyof T>) copy[key] = namespace[key];
  return copy;
}

export const ts: typeof live = plain(live);
