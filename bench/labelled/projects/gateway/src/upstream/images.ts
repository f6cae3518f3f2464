import { Readable } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';

const CDN = process.env.CDN_ORIGIN ?? 'https://cdn.example.com';

/** Returns a Node stream of the original image, or null when the CDN has none. */
export async function openImage(path: string): Promise<Readable | null> {
  const res = await fetch(`${CDN}/${path}`);
  if (!res.ok || !res.body) {
    await res.body?.cancel();
    return null;
  }
  return Readable.fromWeb(res.body as WebReadableStream<Uint8Array>);
}
