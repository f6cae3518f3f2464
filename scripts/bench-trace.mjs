// `npm run bench:trace`: what `linger trace` costs a server. An HTTP server on loopback is loaded by
// autocannon with and without the trace, interleaved round by round (the order alternates), and the
// medians are compared: throughput within 5% and p99 latency within 10% is the target (issue 16).
// Two servers: a plain one, and one that calls an upstream per request (client requests traced).
// On Linux it also prints the server's CPU time per request (from /proc/<pid>/stat), which a busy
// machine disturbs far less than throughput, and the CPU `linger trace` itself used.
//   node scripts/bench-trace.mjs [--seconds=5] [--rounds=5] [--connections=50]
import autocannon from 'autocannon';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { once } from 'node:events';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const arg = (name, fallback) => Number(process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? fallback);
const seconds = arg('seconds', 5);
const rounds = arg('rounds', 5);
// Enough connections that p99 spans several milliseconds (autocannon counts whole milliseconds).
const connections = arg('connections', 50);
const serverScript = join(root, 'scripts', 'bench-trace', 'server.mjs');
const linger = join(root, 'bin', 'linger.js');
const scratch = mkdtempSync(join(tmpdir(), 'linger-bench-trace-'));
process.on('exit', () => rmSync(scratch, { recursive: true, force: true }));

async function startServer(traced, upstream) {
  const app = [process.execPath, serverScript, ...(upstream ? ['--upstream'] : [])];
  const [file, ...args] = traced ? [process.execPath, linger, 'trace', '--format', 'json', '--output', join(scratch, 'report.json'), '--', ...app] : app;
  const child = spawn(file, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.setEncoding('utf8');
  const [port, pid] = await new Promise((resolve, reject) => {
    child.stdout.on('data', (chunk) => {
      out += chunk;
      const m = /listening (\d+) pid (\d+)/.exec(out);
      if (m) resolve([Number(m[1]), Number(m[2])]);
    });
    child.once('exit', (code) => reject(new Error(`server exited (${code}) before listening`)));
  });
  return { child, port, pid };
}

/** User + system CPU of a process in milliseconds (Linux), or null. */
function cpuMs(pid) {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // utime, stime in clock ticks (USER_HZ 100)
  } catch {
    return null;
  }
}

async function measure(traced, upstream) {
  const { child, port, pid } = await startServer(traced, upstream);
  try {
    // A short warm-up, not measured: JIT and connection set-up.
    await autocannon({ url: `http://127.0.0.1:${port}/`, connections, duration: 1 });
    const [app0, linger0] = [cpuMs(pid), traced ? cpuMs(child.pid) : 0];
    const r = await autocannon({ url: `http://127.0.0.1:${port}/`, connections, duration: seconds });
    const [app1, linger1] = [cpuMs(pid), traced ? cpuMs(child.pid) : 0];
    if (r.non2xx || r.errors) throw new Error(`${r.non2xx} non-2xx, ${r.errors} errors`);
    const cpu = app0 === null || app1 === null ? null : ((app1 - app0) * 1000) / r.requests.total;
    return { rps: r.requests.average, p99: r.latency.p99, cpu, lingerCpu: linger1 - linger0 };
  } finally {
    child.kill('SIGTERM');
    await once(child, 'exit');
  }
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

let failed = false;
for (const upstream of [false, true]) {
  const name = upstream ? 'server calling an upstream per request' : 'plain server';
  const plain = [];
  const traced = [];
  for (let round = 0; round < rounds; round++) {
    // Alternate which goes first, so drift of the machine hits both alike.
    for (const t of round % 2 ? [true, false] : [false, true]) (t ? traced : plain).push(await measure(t, upstream));
    const last = (xs) => xs[xs.length - 1];
    const cpu = (r) => (r.cpu === null ? '' : `, ${r.cpu.toFixed(1)} CPU-µs/req`);
    console.log(`  ${name}, round ${round + 1}: without ${last(plain).rps.toFixed(0)} req/s p99 ${last(plain).p99} ms${cpu(last(plain))}; ` +
      `traced ${last(traced).rps.toFixed(0)} req/s p99 ${last(traced).p99} ms${cpu(last(traced))}`);
  }
  if (plain[0].cpu !== null) {
    const cpuRatio = median(traced.map((r) => r.cpu)) / median(plain.map((r) => r.cpu));
    console.log(`${name}: server CPU per request ${median(traced.map((r) => r.cpu)).toFixed(1)} vs ${median(plain.map((r) => r.cpu)).toFixed(1)} µs (ratio ${cpuRatio.toFixed(3)}); ` +
      `linger trace itself: ${median(traced.map((r) => r.lingerCpu)).toFixed(0)} ms of CPU per ${seconds} s run`);
  }
  const rps = median(traced.map((r) => r.rps)) / median(plain.map((r) => r.rps));
  const p99 = median(traced.map((r) => r.p99)) / median(plain.map((r) => r.p99));
  const ok = rps >= 0.95 && p99 <= 1.1;
  failed ||= !ok;
  console.log(`${name}: throughput ${median(traced.map((r) => r.rps)).toFixed(0)} vs ${median(plain.map((r) => r.rps)).toFixed(0)} req/s (ratio ${rps.toFixed(3)}, target ≥ 0.95); ` +
    `p99 ${median(traced.map((r) => r.p99))} vs ${median(plain.map((r) => r.p99))} ms (ratio ${p99.toFixed(3)}, target ≤ 1.10) — ${ok ? 'within target' : 'OUTSIDE TARGET'}`);
}
console.log(`${rounds} interleaved rounds of ${seconds} s, ${connections} connections, node ${process.version}`);
process.exitCode = failed ? 1 : 0;
