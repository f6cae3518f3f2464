import { MongoClient } from 'mongodb';

interface Payment {
  _id: string;
  amount: number;
  refunds?: { amount: number; at: Date }[];
}

export const handler = async (event: { body: string }) => {
  const { paymentId, amount } = JSON.parse(event.body);
  const client = new MongoClient(process.env.MONGODB_URI!);
  const payments = client.db('billing').collection<Payment>('payments');
  const payment = await payments.findOne({ _id: paymentId });
  if (!payment || payment.amount < amount) {
    return { statusCode: 422, body: 'refund exceeds payment' };
  }
  await payments.updateOne({ _id: paymentId }, { $push: { refunds: { amount, at: new Date() } } });
  return { statusCode: 200, body: '{"ok":true}' };
};
