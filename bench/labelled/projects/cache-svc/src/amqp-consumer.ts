import amqp from 'amqplib';

export async function startConsumer(queue: string, handle: (body: unknown) => Promise<void>) {
  const conn = await amqp.connect(process.env.AMQP_URL ?? 'amqp://localhost');
  const ch = await conn.createChannel();
  await ch.prefetch(10);
  await ch.assertQueue(queue, { durable: true });
  await ch.consume(queue, async (msg) => {
    if (!msg) return;
    try {
      await handle(JSON.parse(msg.content.toString()));
      ch.ack(msg);
    } catch {
      ch.nack(msg, false, false);
    }
  });

  const shutdown = async () => {
    await ch.close();
    await conn.close();
    process.exit(0);
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
}
