// A hand-written JSON-RPC client over a child's stdio for the soak (scripts/soak.mjs). Not
// vscode-jsonrpc on purpose: every frame is written with ONE write() call, so malformed frames can be
// interleaved with real traffic without splitting a header from its body, and every request id is
// tracked by us (sent, answered how, after how long) rather than hidden in a library.
import { spawn } from 'node:child_process';

/** JSON-RPC / LSP error codes the soak tells apart. */
export const CODES = {
  ParseError: -32700,
  InvalidRequest: -32600,
  MethodNotFound: -32601,
  InvalidParams: -32602,
  InternalError: -32603,
  ServerCancelled: -32802,
  ContentModified: -32801,
  RequestCancelled: -32800,
};

export class RpcServer {
  /**
   * @param {string} label  for messages ("soak", "fresh")
   * @param {string[]} argv node arguments (script and its flags)
   * @param {object} opts   { cwd, env, onRequest(method, params, id) -> result | Promise | {error} , onNotification(method, params) }
   */
  constructor(label, argv, opts) {
    this.label = label;
    this.proc = spawn(process.execPath, argv, { cwd: opts.cwd, env: opts.env ?? process.env, stdio: ['pipe', 'pipe', 'pipe'] });
    this.onRequest = opts.onRequest;
    this.onNotification = opts.onNotification ?? (() => undefined);
    this.nextId = 1;
    /** id -> { id, method, sentAt, kind, expect, resolve, cancelled } */
    this.pending = new Map();
    /** Protocol violations seen on the server's stdout (frames we could not parse, responses for unknown ids). */
    this.violations = [];
    /** Parse errors / invalid requests answered (id null) to the malformed frames we sent. */
    this.malformedAnswered = 0;
    this.stderr = '';
    this.exit = undefined;
    this.buffer = Buffer.alloc(0);
    this.proc.stdout.on('data', (chunk) => this.onData(chunk));
    this.proc.stderr.on('data', (d) => {
      this.stderr += d;
      if (this.stderr.length > 4_000_000) this.stderr = this.stderr.slice(-2_000_000);
    });
    this.proc.on('exit', (code, signal) => {
      this.exit = { code, signal, at: Date.now() };
      for (const p of this.pending.values()) p.resolve({ lost: true });
    });
    this.proc.stdin.on('error', () => undefined); // EPIPE after a crash: reported through `exit`
  }

  get pid() {
    return this.proc.pid;
  }

  alive() {
    return this.exit === undefined;
  }

  /** Write bytes as they are (a frame with a broken header). */
  writeRaw(text) {
    if (this.alive()) this.proc.stdin.write(Buffer.from(text, 'utf8'));
  }

  /** Write one complete frame (header + body) in a single write. */
  writeFrame(body, headers = {}) {
    const bytes = Buffer.isBuffer(body) ? body : Buffer.from(body, 'utf8');
    const head = Object.entries({ 'Content-Length': bytes.length, ...headers }).map(([k, v]) => `${k}: ${v}\r\n`).join('');
    if (this.alive()) this.proc.stdin.write(Buffer.concat([Buffer.from(`${head}\r\n`, 'ascii'), bytes]));
  }

  send(message) {
    this.writeFrame(JSON.stringify({ jsonrpc: '2.0', ...message }));
  }

  notify(method, params) {
    this.send(params === undefined ? { method } : { method, params });
  }

  /**
   * Send a request. Returns the tracking record; `record.done` resolves with
   * { result } | { error } | { lost: true } (the process died) when the response arrives.
   */
  request(method, params, extra = {}) {
    const id = this.nextId++;
    let resolve;
    const done = new Promise((r) => (resolve = r));
    const record = { id, method, sentAt: performance.now(), resolve, done, cancelled: false, ...extra };
    this.pending.set(id, record);
    this.send(params === undefined ? { id, method } : { id, method, params });
    return record;
  }

  cancel(record) {
    if (!this.pending.has(record.id)) return false;
    record.cancelled = true;
    this.notify('$/cancelRequest', { id: record.id });
    return true;
  }

  onData(chunk) {
    this.buffer = this.buffer.length ? Buffer.concat([this.buffer, chunk]) : chunk;
    for (;;) {
      const end = this.buffer.indexOf('\r\n\r\n');
      if (end < 0) return;
      const header = this.buffer.subarray(0, end).toString('ascii');
      const m = /(?:^|\r\n)Content-Length: *(\d+)/i.exec(header);
      if (!m) {
        this.violations.push(`${this.label}: a frame without Content-Length: ${JSON.stringify(header.slice(0, 200))}`);
        this.buffer = this.buffer.subarray(end + 4);
        continue;
      }
      const length = Number(m[1]);
      if (this.buffer.length < end + 4 + length) return;
      const body = this.buffer.subarray(end + 4, end + 4 + length).toString('utf8');
      this.buffer = this.buffer.subarray(end + 4 + length);
      let msg;
      try {
        msg = JSON.parse(body);
      } catch (e) {
        this.violations.push(`${this.label}: a frame whose body is not JSON: ${String(e)}: ${body.slice(0, 200)}`);
        continue;
      }
      this.dispatch(msg);
    }
  }

  dispatch(msg) {
    if (msg === null || typeof msg !== 'object' || Array.isArray(msg)) {
      this.violations.push(`${this.label}: a message that is not an object: ${JSON.stringify(msg).slice(0, 200)}`);
      return;
    }
    if (typeof msg.method === 'string' && msg.id !== undefined) {
      // A request from the server: answer it (possibly asynchronously).
      Promise.resolve()
        .then(() => this.onRequest(msg.method, msg.params, msg.id))
        .then(
          (answer) => {
            if (answer && typeof answer === 'object' && answer.__error) this.send({ id: msg.id, error: answer.__error });
            else this.send({ id: msg.id, result: answer ?? null });
          },
          (e) => this.send({ id: msg.id, error: { code: CODES.InternalError, message: String(e) } }),
        );
      return;
    }
    if (typeof msg.method === 'string') {
      this.onNotification(msg.method, msg.params);
      return;
    }
    // The answer to a malformed frame: a parse error (-32700) or invalid request (-32600) for id null.
    if (msg.id === null && msg.error && (msg.error.code === -32700 || msg.error.code === -32600)) {
      this.malformedAnswered++;
      return;
    }
    const record = this.pending.get(msg.id);
    if (!record) {
      this.violations.push(`${this.label}: a response for id ${JSON.stringify(msg.id)} that is not pending: ${JSON.stringify(msg).slice(0, 300)}`);
      return;
    }
    this.pending.delete(msg.id);
    record.latencyMs = performance.now() - record.sentAt;
    if (msg.error !== undefined) record.resolve({ error: msg.error });
    else if ('result' in msg) record.resolve({ result: msg.result });
    else {
      this.violations.push(`${this.label}: a response for id ${msg.id} with neither result nor error`);
      record.resolve({ result: undefined });
    }
  }

  /** Resolve when the process has exited, or after `ms`. */
  waitExit(ms) {
    if (!this.alive()) return Promise.resolve(this.exit);
    return new Promise((resolve) => {
      const t = setTimeout(() => resolve(undefined), ms);
      this.proc.once('exit', () => {
        clearTimeout(t);
        resolve(this.exit);
      });
    });
  }

  kill() {
    if (this.alive()) this.proc.kill('SIGKILL');
  }
}
