// The project's own declared types, read without the checker's help: the type of an option a function takes apart
// (`({ archive }: RouteOptions)`, or a fastify plugin's `(app, { archive })` whose options type the plugin's
// `const` gives (`const routes: FastifyPluginAsync<RouteOptions> = async (app, { archive }) => …`), which a checker
// without fastify's types installed cannot follow), the project's type aliases, and the annotation of a class's field.
import { ts } from 'ts-morph';
import { stripParens } from './ast';

/** Utility types whose first argument's members are the ones kept (`Pick<typeof http, 'request'>`), and a promise's (`Promise<DataSource>`: what a caller awaits). */
export const TYPE_WRAPPERS = new Set(['Pick', 'Omit', 'Partial', 'Readonly', 'Required', 'NonNullable', 'Promise', 'PromiseLike', 'Awaited']);

/** Plugin types whose first type argument types the options, their function's second parameter. */
const PLUGIN_TYPES = new Set(['FastifyPluginAsync', 'FastifyPluginCallback', 'FastifyPluginAsyncTypebox', 'FastifyPluginCallbackTypebox', 'FastifyPluginAsyncZod']);

/** The type node of the option `key` of the parameter `param` is destructured from, when the project declares it. */
export function optionTypeOf(param: ts.ParameterDeclaration, key: string, targetOf: (n: ts.Node) => ts.Symbol | undefined): ts.TypeNode | undefined {
  const declared = param.type ?? pluginOptionsType(param);
  return declared && memberType(declared, key, targetOf);
}

function pluginOptionsType(param: ts.ParameterDeclaration): ts.TypeNode | undefined {
  const fn = param.parent;
  if (!(ts.isArrowFunction(fn) || ts.isFunctionExpression(fn)) || fn.parameters.indexOf(param) !== 1) return undefined;
  let holder: ts.Node = fn;
  while (ts.isParenthesizedExpression(holder.parent)) holder = holder.parent;
  const decl = holder.parent;
  const type = ts.isVariableDeclaration(decl) && stripParens(decl.initializer ?? decl.name as ts.Expression) === fn ? decl.type : undefined;
  return type && ts.isTypeReferenceNode(type) && PLUGIN_TYPES.has(ts.isIdentifier(type.typeName) ? type.typeName.text : type.typeName.right.text) ? type.typeArguments?.[0] : undefined;
}

/** `key`'s type in a type literal, or in an interface or a type alias of the project it names. */
function memberType(type: ts.TypeNode, key: string, targetOf: (n: ts.Node) => ts.Symbol | undefined, depth = 0): ts.TypeNode | undefined {
  if (depth > 3) return undefined;
  if (ts.isTypeLiteralNode(type)) return propertyType(type.members, key);
  if (!ts.isTypeReferenceNode(type)) return undefined;
  for (const d of targetOf(type.typeName)?.declarations ?? []) {
    if (d.getSourceFile().isDeclarationFile) continue;
    if (ts.isInterfaceDeclaration(d)) {
      const t = propertyType(d.members, key);
      if (t) return t;
    }
    if (ts.isTypeAliasDeclaration(d)) return memberType(d.type, key, targetOf, depth + 1);
  }
  return undefined;
}

function propertyType(members: ts.NodeArray<ts.TypeElement>, key: string): ts.TypeNode | undefined {
  const m = members.find((x): x is ts.PropertySignature => ts.isPropertySignature(x) && !!x.name && x.name.getText() === key);
  return m?.type;
}

/** A type alias of the project without type parameters (`type Transport = Pick<typeof http, 'request'>`). */
export function projectTypeAlias(name: ts.EntityName, targetOf: (n: ts.Node) => ts.Symbol | undefined): ts.TypeAliasDeclaration | undefined {
  const decl = targetOf(name)?.declarations?.find(ts.isTypeAliasDeclaration);
  return decl && !decl.typeParameters && !decl.getSourceFile().isDeclarationFile ? decl : undefined;
}

/** The annotation of a field of the class: its declaration's, or a constructor parameter property's. */
export function classMemberType(cls: ts.ClassLikeDeclaration, name: string): ts.TypeNode | undefined {
  for (const m of cls.members) {
    if (ts.isPropertyDeclaration(m) && m.name.getText() === name) return m.type;
    // `constructor(private readonly transport: Transport)`: a parameter property.
    if (ts.isConstructorDeclaration(m)) {
      const p = m.parameters.find((x) => ts.isIdentifier(x.name) && x.name.text === name && ts.getModifiers(x)?.length);
      if (p) return p.type;
    }
  }
  return undefined;
}
