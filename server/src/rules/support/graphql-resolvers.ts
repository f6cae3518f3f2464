// GraphQL resolvers: a field of a root type's resolver map (`Query`, `Mutation`, `Subscription`) answers each
// request for that field, as a route handler does (frequency.ts).
import { ts } from 'ts-morph';
import { propName } from '../../core/syntax';
import { skipParensUp } from '../../core/call-shapes';

/**
 * `Query: { salesReport(_, args) {…} }`, `Mutation: { placeOrder: async (_, args) => … }` in a GraphQL
 * resolver map, or the root type's map on its own: `export const Query = { salesByDay: async (…) => … }`,
 * `const orderMutations: MutationResolvers = { … }` (graphql-codegen's type).
 */
export function resolvesRootField(fn: ts.SignatureDeclaration): boolean {
  const member = ts.isMethodDeclaration(fn) ? fn : skipParensUp(fn).parent;
  if (!ts.isMethodDeclaration(member) && !ts.isPropertyAssignment(member)) return false;
  const map = member.parent;
  const root = map && ts.isObjectLiteralExpression(map) ? skipParensUp(map).parent : undefined;
  if (root && ts.isPropertyAssignment(root)) return GRAPHQL_ROOTS.has(propName(root) ?? '');
  if (!root || !ts.isVariableDeclaration(root) || !ts.isIdentifier(root.name) || !ts.isVariableStatement(root.parent.parent) || !ts.isSourceFile(root.parent.parent.parent)) return false;
  const typed = root.type && ts.isTypeReferenceNode(root.type) ? typeName(root.type.typeName) : '';
  return GRAPHQL_ROOTS.has(root.name.text) || /^(Query|Mutation|Subscription)Resolvers$/.test(typed);
}

const GRAPHQL_ROOTS = new Set(['Query', 'Mutation', 'Subscription']);

/** The last name of a type reference (`Koa.Context` → `Context`). */
export function typeName(n: ts.EntityName): string {
  return ts.isIdentifier(n) ? n.text : n.right.text;
}

