import tls from 'node:tls';

/** Subject, issuer and SANs of the certificate a server presents. */
export function certInfo(host, port = 443) {
  return new Promise((resolve, reject) => {
    const socket = tls.connect({ host, port, servername: host });
    socket.once('secureConnect', () => {
      const cert = socket.getPeerCertificate(false);
      if (!cert || Object.keys(cert).length === 0) {
        reject(new Error(`${host} presented no certificate`));
        return;
      }
      socket.end();
      resolve({
        subject: cert.subject?.CN,
        issuer: cert.issuer?.O,
        san: cert.subjectaltname?.split(', ').map((s) => s.replace(/^DNS:/, '')) ?? [],
        validTo: cert.valid_to,
      });
    });
    socket.once('error', reject);
  });
}
