import { Router, Request, Response, NextFunction } from 'express';
import { createOrder, getOrder } from '../repos/orders-repo';
import { reserve } from '../repos/inventory-repo';

export const orders = Router();

const wrap =
  (fn: (req: Request, res: Response) => Promise<void>) =>
  (req: Request, res: Response, next: NextFunction) =>
    fn(req, res).catch(next);

orders.get(
  '/:id',
  wrap(async (req, res) => {
    const order = await getOrder(req.params.id);
    if (!order) {
      res.status(404).end();
      return;
    }
    res.json(order);
  }),
);

orders.post(
  '/',
  wrap(async (req, res) => {
    for (const line of req.body.lines) {
      if (!(await reserve(line.sku, line.qty))) {
        res.status(409).json({ error: 'out of stock', sku: line.sku });
        return;
      }
    }
    const id = await createOrder(req.body.customerId, req.body.lines);
    res.status(201).json({ id });
  }),
);
