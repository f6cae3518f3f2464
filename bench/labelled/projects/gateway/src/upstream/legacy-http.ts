import http from 'node:http';
import https from 'node:https';

/** GET a URL and follow up to `maxRedirects` redirects; resolves with the body text. */
export function getText(url: string, maxRedirects = 5): Promise<string> {
  return new Promise((resolve, reject) => {
    const secure = url.startsWith('https:');
    (secure ? https : http)
      .get(url, (res) => {
        const { statusCode = 0, headers } = res;
        if (statusCode >= 300 && statusCode < 400 && headers.location) {
          if (maxRedirects === 0) {
            reject(new Error(`too many redirects at ${url}`));
            return;
          }
          resolve(getText(new URL(headers.location, url).toString(), maxRedirects - 1));
          return;
        }
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => resolve(text));
        res.on('error', reject);
      })
      .on('error', reject);
  });
}
