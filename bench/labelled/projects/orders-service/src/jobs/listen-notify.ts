import { Client } from 'pg';
import { EventEmitter } from 'events';

export const orderEvents = new EventEmitter();

let listener: Client | undefined;

/** One dedicated connection for LISTEN, kept for the life of the process. */
export async function startListener(): Promise<void> {
  listener = new Client({ connectionString: process.env.DATABASE_URL });
  listener.on('notification', (msg) => {
    if (msg.channel === 'order_created' && msg.payload) {
      orderEvents.emit('created', JSON.parse(msg.payload));
    }
  });
  listener.on('error', (err) => console.error('LISTEN connection lost', err));
  await listener.connect();
  await listener.query('LISTEN order_created');
}

export async function stopListener(): Promise<void> {
  await listener?.end();
  listener = undefined;
}
