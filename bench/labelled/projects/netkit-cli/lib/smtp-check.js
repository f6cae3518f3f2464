import net from 'node:net';

/** Connects to an MX host and checks the 220 banner. */
export function smtpBanner(host, port = 25) {
  return new Promise((resolve, reject) => {
    const s = net.connect(port, host);
    s.setEncoding('utf8');
    s.setTimeout(10_000, () => s.destroy(new Error('banner timeout')));
    s.once('data', (banner) => {
      s.end('QUIT\r\n');
      resolve({ ok: banner.startsWith('220'), banner: banner.trim() });
    });
    s.once('error', reject);
  });
}
