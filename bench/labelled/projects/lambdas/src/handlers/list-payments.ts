import { mongo } from '../lib/mongo';

export const handler = async (event: { queryStringParameters?: { customer?: string } }) => {
  const customer = event.queryStringParameters?.customer;
  if (!customer) return { statusCode: 400, body: 'customer is required' };
  const db = (await mongo()).db('billing');
  const payments = await db.collection('payments').find({ customer }).sort({ at: -1 }).limit(50).toArray();
  return { statusCode: 200, body: JSON.stringify(payments) };
};
