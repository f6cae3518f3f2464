import net from 'node:net';
import tls from 'node:tls';

export interface Target {
  host: string;
  port: number;
  tls?: boolean;
}

/** Reads the first line a service sends (SMTP, FTP, SSH banners), plain or over TLS. */
export function firstLine(target: Target, timeoutMs = 5_000): Promise<string> {
  return new Promise((resolve, reject) => {
    const opts = { host: target.host, port: target.port };
    const socket = target.tls ? tls.connect(opts) : net.connect(opts);
    socket.setTimeout(timeoutMs, () => socket.destroy(new Error('no banner')));
    socket.once('error', reject);
    socket.once('data', (chunk: Buffer) => {
      socket.destroy();
      resolve(chunk.toString('utf8').split(/\r?\n/)[0]);
    });
  });
}
