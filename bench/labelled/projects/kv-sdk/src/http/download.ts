import { createWriteStream } from 'fs';
import { pipeline } from 'stream/promises';
import { request } from 'undici';

export async function downloadSnapshot(url: string, dest: string): Promise<void> {
  const { statusCode, body } = await request(url, { maxRedirections: 3 });
  if (statusCode !== 200) {
    await body.dump();
    throw new Error(`snapshot download failed: HTTP ${statusCode}`);
  }
  await pipeline(body, createWriteStream(dest));
}
