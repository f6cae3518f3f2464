import { Pool } from 'undici';
import tls from 'node:tls';

const proxy = new Pool(process.env.HTTPS_PROXY ?? 'http://proxy.internal:3128', { connections: 16 });

/** Opens a TLS connection to host:port through the HTTP CONNECT proxy. */
export async function tunnelTls(host: string, port: number): Promise<tls.TLSSocket> {
  const { socket, statusCode } = await proxy.connect({
    path: `${host}:${port}`,
    headers: { host: `${host}:${port}` },
  });
  if (statusCode !== 200) {
    throw new Error(`proxy refused tunnel to ${host}:${port} (${statusCode})`);
  }
  return tls.connect({ socket, servername: host });
}
