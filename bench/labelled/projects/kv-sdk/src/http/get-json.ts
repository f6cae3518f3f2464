import * as https from 'https';

export function getJson<T>(url: string, agent?: https.Agent): Promise<T> {
  return new Promise((resolve, reject) => {
    https
      .get(url, { agent, headers: { accept: 'application/json' } }, (res) => {
        if ((res.statusCode ?? 0) >= 400) {
          reject(new Error(`GET ${url}: HTTP ${res.statusCode}`));
          return;
        }
        let data = '';
        res.setEncoding('utf8');
        res.on('data', (chunk) => (data += chunk));
        res.on('end', () => {
          try {
            resolve(JSON.parse(data) as T);
          } catch (err) {
            reject(err);
          }
        });
      })
      .on('error', reject);
  });
}
