#!/usr/bin/env node
import https from 'node:https';
import fs from 'node:fs';
import path from 'node:path';

const [url, out = path.basename(new URL(url).pathname) || 'index.html'] = process.argv.slice(2);

https.get(url, (res) => {
  if (res.statusCode !== 200) {
    console.error(`download failed: HTTP ${res.statusCode}`);
    process.exit(1);
  }
  const total = Number(res.headers['content-length'] ?? 0);
  let done = 0;
  res.on('data', (chunk) => {
    done += chunk.length;
    if (total) process.stderr.write(`\r${Math.round((done / total) * 100)}%`);
  });
  res.pipe(fs.createWriteStream(out)).on('finish', () => console.error(`\nsaved ${out}`));
}).on('error', (err) => {
  console.error(err.message);
  process.exit(1);
});
