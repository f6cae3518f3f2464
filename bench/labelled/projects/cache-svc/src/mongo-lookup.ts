import { MongoClient } from 'mongodb';

/** Used by the admin CLI and by the support dashboard's "look up customer" button. */
export async function findCustomer(uri: string, email: string) {
  const client = await MongoClient.connect(uri, { serverSelectionTimeoutMS: 5_000 });
  const customer = await client.db('crm').collection('customers').findOne({ email });
  if (!customer) {
    return null;
  }
  const orders = await client.db('crm').collection('orders').countDocuments({ customerId: customer._id });
  await client.close();
  return { ...customer, orders };
}
