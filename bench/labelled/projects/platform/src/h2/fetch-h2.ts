import http2 from 'node:http2';

/** GETs a path over HTTP/2 and returns the body (used for the APNs feedback endpoint). */
export async function h2get(origin: string, path: string, headers: Record<string, string> = {}): Promise<string> {
  const session = http2.connect(origin);
  session.on('error', (err) => console.error('h2 session error', err));
  const req = session.request({ ':method': 'GET', ':path': path, ...headers });
  req.setEncoding('utf8');
  let data = '';
  for await (const chunk of req) {
    data += chunk;
  }
  return data;
}
