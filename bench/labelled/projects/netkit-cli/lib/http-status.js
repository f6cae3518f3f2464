import http from 'node:http';
import https from 'node:https';

/** Status code of a GET, for the `status` subcommand. */
export function statusOf(url) {
  const mod = url.startsWith('https:') ? https : http;
  return new Promise((resolve, reject) => {
    mod
      .get(url, (res) => {
        resolve(res.statusCode);
      })
      .on('error', reject);
  });
}
