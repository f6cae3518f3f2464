#!/usr/bin/env node
import WebSocket from 'ws';
import readline from 'node:readline';

const url = process.argv[2];
if (!url) {
  console.error('usage: ws-cat <url>');
  process.exit(2);
}

const ws = new WebSocket(url);
const rl = readline.createInterface({ input: process.stdin });

ws.on('open', () => {
  console.error(`connected to ${url}`);
  rl.on('line', (line) => ws.send(line));
  rl.on('close', () => ws.close());
});
ws.on('message', (data) => process.stdout.write(`${data}\n`));
ws.on('close', (code) => {
  console.error(`closed (${code})`);
  process.exit(0);
});
ws.on('error', (err) => {
  console.error(err.message);
  process.exit(1);
});
