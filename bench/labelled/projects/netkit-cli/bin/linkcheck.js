#!/usr/bin/env node
import fs from 'node:fs/promises';

const LINK = /\]\((https?:\/\/[^)\s]+)\)/g;

async function checkAll(urls) {
  return Promise.all(
    urls.map(async (u) => {
      try {
        const res = await fetch(u, { redirect: 'follow', signal: AbortSignal.timeout(15_000) });
        return { url: u, status: res.status };
      } catch (err) {
        return { url: u, status: 0, error: err.message };
      }
    }),
  );
}

const files = process.argv.slice(2);
const urls = new Set();
for (const f of files) {
  for (const m of (await fs.readFile(f, 'utf8')).matchAll(LINK)) urls.add(m[1]);
}
const results = await checkAll([...urls]);
const broken = results.filter((r) => r.status === 0 || r.status >= 400);
for (const b of broken) console.log(`${b.status || 'ERR'} ${b.url}${b.error ? ` (${b.error})` : ''}`);
process.exitCode = broken.length ? 1 : 0;
