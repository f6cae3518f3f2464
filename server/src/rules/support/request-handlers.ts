// Functions that answer each request of a route, known by how they are declared (a decorator, a request-typed
// parameter, a handler-typed variable, a route file's verb export, a GraphQL root resolver, a route table's entry).
import { ts } from 'ts-morph';
import { skipParensUp } from '../../core/call-shapes';
import { HTTP_VERBS, routeObjectProbes, routeTableHandler } from './route-tables';
import { resolvesRootField, typeName } from './graphql-resolvers';

/** NestJS decorators of a method that answers each HTTP request or message of its route or pattern. */
const ROUTE_DECORATORS = new Set(['Get', 'Post', 'Put', 'Patch', 'Delete', 'All', 'Head', 'Options', 'MessagePattern', 'EventPattern']);
/**
 * Parameter types that only a request handler receives: Next.js API routes, API Gateway/ALB/function-URL
 * Lambdas (and queue- or stream-fed ones), Fastify, and node's own servers (`(req: IncomingMessage, res: ServerResponse)`: the response
 * being served; an `IncomingMessage` alone may be a client's response).
 */
const REQUEST_TYPES = new Set([
  'NextApiRequest', 'NextRequest', 'APIGatewayProxyEvent', 'APIGatewayProxyEventV2', 'ALBEvent', 'LambdaFunctionURLEvent', 'FastifyRequest', 'FastifyReply',
  'ServerResponse', 'Http2ServerResponse',
  // A Lambda fed by a queue or a stream runs for each batch of its messages, as a queue consumer's callback does.
  'SQSEvent', 'SNSEvent', 'KinesisStreamEvent', 'DynamoDBStreamEvent',
]);
/** Types of a whole request handler (`export const handler: APIGatewayProxyHandlerV2 = async (event) => …`). */
const HANDLER_TYPES = new Set([
  'APIGatewayProxyHandler', 'APIGatewayProxyHandlerV2', 'ALBHandler', 'LambdaFunctionURLHandler', 'NextApiHandler', 'RequestHandler',
  'RouteHandlerMethod', 'Middleware', 'SQSHandler', 'SNSHandler', 'KinesisStreamHandler', 'DynamoDBStreamHandler',
]);

/**
 * A named function or method that answers every request of a route, by what declares it so: a NestJS
 * route decorator (`@Get('daily-volume')`), a request-typed parameter (a Lambda behind API Gateway, a
 * Next.js API route) or a handler-typed variable (`export const handler: APIGatewayProxyHandlerV2 = …`), a Next.js App Router handler (`export async function GET` in `route.ts`), or a
 * GraphQL resolver of a root type (`Query: { async salesReport(_, args, ctx) { … } }`: one run per query).
 * A scheduled Lambda or a migration step is none of these.
 */
export function handlesEachRequest(fn: ts.SignatureDeclaration | undefined): boolean {
  if (!fn) return false;
  if (resolvesRootField(fn)) return true;
  if (ts.isMethodDeclaration(fn) && ts.getDecorators(fn)?.some((d) => {
    const e = d.expression;
    return ts.isCallExpression(e) && ts.isIdentifier(e.expression) && ROUTE_DECORATORS.has(e.expression.text);
  })) return true;
  if (fn.parameters.some((p) => p.type && ts.isTypeReferenceNode(p.type) && REQUEST_TYPES.has(typeName(p.type.typeName)))) return true;
  if (routeTableHandler(fn) || routeObjectProbes(fn) === false) return true;
  const holder = skipParensUp(fn).parent;
  if (ts.isVariableDeclaration(holder) && holder.type && ts.isTypeReferenceNode(holder.type) && HANDLER_TYPES.has(typeName(holder.type.typeName))) return true;
  const name = ts.isFunctionDeclaration(fn) ? fn.name?.text : undefined;
  return !!name && HTTP_VERBS.has(name) && /(^|[\\/])route\.[cm]?[jt]sx?$/.test(fn.getSourceFile().fileName);
}
