import { connect } from 'undici';
import tls from 'node:tls';

/** Opens a TLS connection to host:port through an HTTP CONNECT proxy. */
export async function tunnelTls(proxyOrigin: string, host: string, port: number): Promise<tls.TLSSocket> {
  const { socket, statusCode } = await connect({
    origin: proxyOrigin,
    path: `${host}:${port}`,
    headers: { host: `${host}:${port}` },
  });
  if (statusCode !== 200) {
    throw new Error(`proxy refused tunnel to ${host}:${port} (${statusCode})`);
  }
  return tls.connect({ socket, servername: host });
}
