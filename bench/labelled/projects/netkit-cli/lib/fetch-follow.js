import https from 'node:https';
import http from 'node:http';
import fs from 'node:fs';

/** Downloads url to dest, following redirects (GitHub release assets redirect to S3). */
export function downloadFollowing(url, dest, redirectsLeft = 10) {
  return new Promise((resolve, reject) => {
    const mod = url.startsWith('https:') ? https : http;
    const req = mod.request(url, { headers: { 'user-agent': 'netkit-cli' } });
    req.on('response', (res) => {
      if ([301, 302, 303, 307, 308].includes(res.statusCode) && res.headers.location) {
        if (redirectsLeft === 0) return reject(new Error('too many redirects'));
        const next = new URL(res.headers.location, url).href;
        return downloadFollowing(next, dest, redirectsLeft - 1).then(resolve, reject);
      }
      if (res.statusCode !== 200) {
        res.resume();
        return reject(new Error(`HTTP ${res.statusCode} for ${url}`));
      }
      const file = fs.createWriteStream(dest);
      res.pipe(file);
      file.on('finish', () => resolve(dest));
      file.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}
