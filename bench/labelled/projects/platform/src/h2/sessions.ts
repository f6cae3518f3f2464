import http2, { ClientHttp2Session } from 'node:http2';

const sessions = new Map<string, ClientHttp2Session>();

/** One HTTP/2 session per origin, shared by all requests and dropped when it closes. */
export function sessionFor(origin: string): ClientHttp2Session {
  let session = sessions.get(origin);
  if (session && !session.closed && !session.destroyed) return session;
  session = http2.connect(origin);
  session.on('close', () => sessions.delete(origin));
  session.on('error', () => sessions.delete(origin));
  session.setTimeout(60_000, () => session!.close());
  sessions.set(origin, session);
  return session;
}

export function closeAll(): void {
  for (const s of sessions.values()) s.close();
  sessions.clear();
}
