// gRPC clients: grpc-js's generated and loaded-definition constructors all take channel credentials second, and
// nothing else does; the catalog knows them by that argument, not by their names.
import { ts } from 'ts-morph';
import type { CreatorMatch } from './creator-match';
import { OriginResolver, Origin } from './origins';
import { constInitializer, functionOfDeclaration, returnedValues, stripParens } from './ast';

/** gRPC's modules (the native `grpc` one is grpc-js's predecessor) and what their channel credentials are made from. */
export const GRPC_MODULES = ['@grpc/grpc-js', 'grpc'];
const GRPC_CREDENTIALS = new Set(['credentials', 'ChannelCredentials']);

/** A gRPC client, whatever its constructor (a loaded package definition's, generated code's, `grpc.Client`): nothing else takes channel credentials. */
export function grpcClientOf(node: ts.NewExpression, resolver: OriginResolver): CreatorMatch | undefined {
  const creds = node.arguments?.[1];
  const o = creds && credentialsOrigin(creds, resolver);
  if (!o) return undefined;
  const callee = stripParens(node.expression);
  return { kind: 'grpc-client', label: `new ${ts.isPropertyAccessExpression(callee) ? callee.name.text : callee.getText()}()`, viaModule: o.module };
}

/**
 * gRPC channel credentials: `grpc.credentials.createInsecure()`, also through a const, a choice between two
 * (`tls ? createSsl(ca) : createInsecure()`) or a function of the project every `return` of which gives them.
 */
function credentialsOrigin(e: ts.Expression, resolver: OriginResolver, depth = 0): Origin | undefined {
  const x = stripParens(e);
  const o = resolver.ofBinding(x) ?? resolver.of(x);
  if (o?.instance && GRPC_MODULES.includes(o.module) && GRPC_CREDENTIALS.has(o.path[0])) return o;
  if (depth > 2) return undefined;
  if (ts.isConditionalExpression(x)) {
    const a = credentialsOrigin(x.whenTrue, resolver, depth + 1);
    return a && credentialsOrigin(x.whenFalse, resolver, depth + 1) ? a : undefined;
  }
  const made = ts.isIdentifier(x) ? constInitializer(resolver.symbolOf(x)) : undefined;
  if (made) return credentialsOrigin(made, resolver, depth + 1);
  const decl = ts.isCallExpression(x) && ts.isIdentifier(stripParens(x.expression)) ? resolver.targetOf(stripParens(x.expression))?.declarations?.[0] : undefined;
  const fn = decl && !decl.getSourceFile().isDeclarationFile ? functionOfDeclaration(decl) : undefined;
  const values = fn && returnedValues(fn);
  const found = values?.map((v) => credentialsOrigin(v, resolver, depth + 1));
  return found?.length && found.every(Boolean) ? found[0] : undefined;
}
