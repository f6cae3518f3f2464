import amqp from 'amqplib';

const URL = process.env.AMQP_URL ?? 'amqp://localhost';

/** Publishes one job. Called from the web tier for each uploaded file. */
export async function enqueueThumbnail(fileId: string): Promise<void> {
  const conn = await amqp.connect(URL);
  const ch = await conn.createChannel();
  await ch.assertQueue('thumbnails', { durable: true });
  ch.sendToQueue('thumbnails', Buffer.from(JSON.stringify({ fileId })), { persistent: true });
  await ch.close();
  await conn.close();
}
