import { Router } from 'express';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';

const STORAGE = process.env.STORAGE_URL ?? 'http://storage.internal';

export const downloads = Router();

downloads.get('/files/:key', async (req, res, next) => {
  try {
    const upstream = await fetch(`${STORAGE}/objects/${encodeURIComponent(req.params.key)}`);
    if (!upstream.ok || !upstream.body) {
      res.status(upstream.status === 404 ? 404 : 502).end();
      return;
    }
    res.setHeader('content-type', upstream.headers.get('content-type') ?? 'application/octet-stream');
    const len = upstream.headers.get('content-length');
    if (len) res.setHeader('content-length', len);
    await pipeline(Readable.fromWeb(upstream.body as WebReadableStream<Uint8Array>), res);
  } catch (err) {
    next(err);
  }
});
