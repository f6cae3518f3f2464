// unclosed-connection: raw TCP protocols of a worker farm. A socket piped into a decoder whose end the
// code waits for has ended first (and, allowHalfOpen off, closed); a socket whose idle timeout destroys it
// is ended by that timer when a throw leaves it idle (not once the code turns it off, `socket.setTimeout(0)`); a project connection object kept in an entry that is
// stored in a map before it connects belongs to the map's owner.
import { InvalidCase, ValidCase } from '../../helpers/rule-tester';

/** A capabilities request: the worker answers with frames and ends; `settle` is the decoder's listener. */
function capabilities(settle: string): string {
  return `
      const net = require('node:net');
      const { Transform } = require('node:stream');
      function fetchCapabilities(host, port) {
        return new Promise((resolve, reject) => {
          const socket = net.connect({ host, port });
          const decoder = new Transform({ readableObjectMode: true, transform(chunk, enc, cb) { cb(null, JSON.parse(chunk)); } });
          const found = [];
          socket.once('connect', () => socket.write('describe\\n'));
          socket.once('error', reject);
          socket.pipe(decoder);
          decoder.on('data', (frame) => found.push(frame));
${settle}
        });
      }
      module.exports = { fetchCapabilities };`;
}

/** A rendition download whose request frame is encoded by a function that throws on an oversized frame; `timeout` follows the connect. */
function fetchOutput(timeout: string): string {
  return `
      const net = require('node:net');
      const fs = require('node:fs');
      const { pipeline } = require('node:stream/promises');
      function encodeFrame(message) {
        const payload = Buffer.from(JSON.stringify(message));
        if (payload.length > 1048576) throw new RangeError('frame too large');
        return payload;
      }
      async function fetchOutput(worker, jobId, target) {
        const socket = net.connect({ host: worker.host, port: worker.dataPort });
${timeout}
        socket.write(encodeFrame({ type: 'fetch', jobId }));
        await pipeline(socket, fs.createWriteStream(target));
        return target;
      }
      module.exports = { fetchOutput };`;
}

export const valid: ValidCase[] = [
  {
    // Not a step function of the socket's paths (unreleased-pool-connection.step-functions.ts): the loop goes on after each send().
    name: "a UDP socket a local send() helper writes to, awaited in a loop and closed in finally",
    code: `
      import dgram from 'node:dgram';
      export async function replay(lines: string[], host: string, port: number): Promise<number> {
        const socket = dgram.createSocket('udp4');
        const send = (line: string): Promise<void> =>
          new Promise((resolve, reject) => socket.send(line, port, host, (err) => (err ? reject(err) : resolve())));
        try {
          let sent = 0;
          for (const line of lines) {
            await send(line);
            sent += 1;
          }
          return sent;
        } finally {
          socket.close();
        }
      }`,
  },
  {
    name: "a socket piped into a decoder whose 'end' settles the promise: the socket ended first",
    code: capabilities("          decoder.once('end', () => resolve(found));"),
    ext: '.js',
  },
  {
    name: 'a socket whose idle timeout destroys it, left idle when encoding the request throws',
    code: fetchOutput("        socket.setTimeout(60000, () => socket.destroy(new Error('stalled')));"),
    ext: '.js',
  },
  {
    name: "a worker connection kept in an entry that a map holds before it connects, returned to the caller",
    code: `
      const { EventEmitter } = require('node:events');
      const net = require('node:net');
      class WorkerConnection extends EventEmitter {
        constructor(opts) { super(); this.opts = opts; this.socket = null; }
        connect() { this.socket = net.connect(this.opts); this.socket.on('data', (d) => this.emit('message', d)); }
        close() { if (this.socket) this.socket.end(); }
      }
      class WorkerPool {
        constructor() { this.workers = new Map(); }
        add({ id, host, port }) {
          const conn = new WorkerConnection({ host, port });
          const entry = { id, conn, running: new Set() };
          this.workers.set(id, entry);
          conn.connect();
          return entry;
        }
        close() { for (const { conn } of this.workers.values()) conn.close(); }
      }
      module.exports = { WorkerPool };`,
    ext: '.js',
  },
];

export const invalid: InvalidCase[] = [
  {
    name: 'the same socket and decoder, settled on the first frame: the socket is left open',
    code: capabilities("          decoder.once('data', () => resolve(found));"),
    ext: '.js',
    errors: [{ line: 5, message: /^Socket from `net.connect` is never closed; it stays open when the function ends/ }],
  },
  {
    name: 'the same download without an idle timeout: the throw leaves the socket open',
    code: fetchOutput(''),
    ext: '.js',
    errors: [{ line: 10, message: /^Socket from `net.connect` is not closed when the function called on line 12 throws/ }],
  },
  {
    name: 'the same download whose idle timeout, set for the connect, is turned off before the throw',
    code: fetchOutput(`        socket.setTimeout(5000, () => socket.destroy(new Error('connect timed out')));
        await require('node:events').once(socket, 'connect');
        socket.setTimeout(0);`),
    ext: '.js',
    errors: [{ line: 10, message: /^Socket from `net.connect` is not closed when the function called on line 14 throws/ }],
  },
];
