import { openSocket } from './transport/open-socket';
import { readReply } from './protocol/read-reply';

export interface KvOptions {
  host: string;
  port: number;
}

/** One short connection per command: simple, and fine for admin tooling. */
export class KvClient {
  constructor(private readonly opts: KvOptions) {}

  async get(key: string): Promise<string | null> {
    const socket = await openSocket({ host: this.opts.host, port: this.opts.port });
    socket.write(`GET ${key}\r\n`);
    const reply = await readReply(socket);
    socket.end();
    return reply === '$nil' ? null : reply;
  }

  async set(key: string, value: string): Promise<void> {
    const socket = await openSocket({ host: this.opts.host, port: this.opts.port });
    try {
      socket.write(`SET ${key} ${JSON.stringify(value)}\r\n`);
      await readReply(socket);
    } finally {
      socket.end();
    }
  }
}
