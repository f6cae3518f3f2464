import * as https from 'https';

export interface AdminOptions {
  baseUrl: string;
  token: string;
  ca?: string;
}

/** Admin API client. Owns a keep-alive agent; call destroy() when done. */
export class AdminClient {
  private readonly agent: https.Agent;

  constructor(private readonly opts: AdminOptions) {
    this.agent = new https.Agent({ keepAlive: true, maxSockets: 8, ca: opts.ca });
  }

  request<T>(method: string, path: string, body?: unknown): Promise<T> {
    const url = new URL(path, this.opts.baseUrl);
    const payload = body === undefined ? undefined : JSON.stringify(body);
    return new Promise((resolve, reject) => {
      const req = https.request(
        url,
        {
          method,
          agent: this.agent,
          headers: {
            authorization: `Bearer ${this.opts.token}`,
            ...(payload ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) } : {}),
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            if ((res.statusCode ?? 500) >= 400) reject(new Error(`${res.statusCode}: ${text}`));
            else resolve(text ? (JSON.parse(text) as T) : (undefined as T));
          });
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      req.end(payload);
    });
  }

  destroy(): void {
    this.agent.destroy();
  }
}
