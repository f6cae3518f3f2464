// connection-churn: a middleware that makes a client for each request, lends it to the request's later handlers on
// the context (`ctx.state.shopDb = shopDb`, `req.db = db`) and closes it in its own `finally`: made and torn down
// per request all the same; beside one that leaves the close to those handlers (not this rule's to judge).
import { InvalidCase, ValidCase } from '../../helpers/rule-tester';

/** A koa middleware factory; `after` runs after `next()` in its `finally`. */
const WORKSHOP_DB = (after: string) => `
      import type { Middleware } from 'koa';
      import knex from 'knex';
      export function workshopDb(): Middleware {
        return async (ctx, next) => {
          const shopDb = knex({ client: 'mysql2', connection: { database: 'shop_' + ctx.get('x-workshop-id') }, pool: { min: 0, max: 2 } });
          ctx.state.shopDb = shopDb;
          try {
            await next();
          } finally {
            ${after}
          }
        };
      }`;

export const invalid: InvalidCase[] = [
  {
    name: "a knex instance per request lent on ctx.state to the later handlers and destroyed in the middleware's finally",
    code: WORKSHOP_DB('await shopDb.destroy();'),
    errors: [{ line: 5, message: /^A new `knex` is created on every call of this function and closed before it returns/ }],
  },
];

export const valid: ValidCase[] = [
  {
    name: 'the same middleware leaving the instance to the later handlers (it does not close it)',
    code: WORKSHOP_DB("ctx.set('x-served-by', 'workshop');"),
  },
];
