#!/usr/bin/env node
// Post-deploy smoke test: exits non-zero if the status page is not healthy.
const base = process.env.SMOKE_URL ?? 'https://status.example.com';

async function main() {
  const res = await fetch(`${base}/api/health`);
  if (res.status !== 200) {
    throw new Error(`health endpoint answered ${res.status}`);
  }
  const body = await res.json();
  if (body.status !== 'ok') throw new Error(`unhealthy: ${JSON.stringify(body)}`);
  console.log('smoke test passed');
}

main().catch((err) => {
  console.error(err.message);
  process.exit(1);
});
