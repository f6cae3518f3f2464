import { createHmac, timingSafeEqual } from 'crypto';

const SECRET = process.env.WS_TOKEN_SECRET ?? 'dev-secret';

export function verifyToken(token: string): boolean {
  const [user, sig] = token.split('.');
  if (!user || !sig) return false;
  const expected = createHmac('sha256', SECRET).update(user).digest('base64url');
  return expected.length === sig.length && timingSafeEqual(Buffer.from(expected), Buffer.from(sig));
}
