import { Client, ClientConfig } from 'pg';
import { EventEmitter } from 'node:events';

/** LISTEN on a channel with a dedicated connection, reconnecting after errors. */
export class PgListener extends EventEmitter {
  private client?: Client;
  private stopped = false;

  constructor(private readonly config: ClientConfig, private readonly channel: string) {
    super();
  }

  async start(): Promise<void> {
    const client = new Client(this.config);
    client.on('notification', (n) => this.emit('notification', n.payload));
    client.on('error', (err) => {
      this.emit('warning', err);
      this.client = undefined;
      if (!this.stopped) setTimeout(() => this.start().catch((e) => this.emit('warning', e)), 1_000);
    });
    await client.connect();
    this.client = client;
    await client.query(`LISTEN ${this.channel}`);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.client?.end();
  }
}
