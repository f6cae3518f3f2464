// unclosed-connection: an agent a module helper makes for each request (`const dispatcher = await
// supplierDispatcher(shopId)` in a route handler) and nothing closes. connection-churn reports it at the helper's
// `new Agent(…)` and speaks for each call that feeds a request (RuleMeta.supersedes with its covered places): one
// defect, whose fix (one agent per certificate, made once) ends both. With connection-churn off it is reported here.
import { InvalidCase, ValidCase } from '../../helpers/rule-tester';

const ROUTE = `
      import { Router } from 'express';
      import { readFile } from 'node:fs/promises';
      import { Agent, request } from 'undici';
      export const parts = Router();
      async function supplierDispatcher(shopId: number): Promise<Agent> {
        const [cert, key] = await Promise.all([readFile(\`/etc/certs/shop-\${shopId}.crt\`), readFile(\`/etc/certs/shop-\${shopId}.key\`)]);
        return new Agent({ connect: { cert, key }, keepAliveTimeout: 10_000 });
      }
      parts.get('/:sku', async (req, res, next) => {
        try {
          const dispatcher = await supplierDispatcher(Number(req.query.shop ?? 1));
          const { body } = await request(\`https://supplier.example/v1/parts/\${req.params.sku}\`, { dispatcher });
          res.json(await body.json());
        } catch (err) {
          next(err);
        }
      });`;

export const valid: ValidCase[] = [
  { name: "a helper's per-request undici Agent, never closed: connection-churn's finding at the helper speaks for the call", code: ROUTE },
];

export const perCallAgents: InvalidCase[] = [
  {
    name: "a helper's per-request undici Agent, never closed (connection-churn off): reported at the call",
    code: ROUTE,
    errors: [{ line: 11, message: /^Connection pool \(agent\/dispatcher\) from `supplierDispatcher\(\)` is never closed/ }],
  },
];
