import tls from 'node:tls';

/** Days until the TLS certificate of host expires. */
export function daysLeft(host, port = 443) {
  return new Promise((resolve, reject) => {
    const socket = tls.connect({ host, port, servername: host, rejectUnauthorized: false }, () => {
      const cert = socket.getPeerCertificate();
      socket.end();
      resolve(Math.floor((new Date(cert.valid_to).getTime() - Date.now()) / 86_400_000));
    });
    socket.setTimeout(10_000, () => socket.destroy(new Error(`timeout connecting to ${host}`)));
    socket.on('error', reject);
  });
}
