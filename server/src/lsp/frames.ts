// Reading LSP frames (`Content-Length: N\r\n\r\n` + N bytes of JSON) from a stream, for stdio.
// vscode-jsonrpc's reader stops making progress after one bad header (no or a negative
// Content-Length): the server then answers nothing, shutdown included. This one answers every
// malformed frame with a JSON-RPC parse error (through `onMalformed`) and carries on: a frame with
// a valid length is skipped by its length (even one too large to buffer: its bytes are discarded as
// they arrive); after a header without a usable length, reading resumes at the next header.
import { Readable } from 'stream';
import { AbstractMessageReader, DataCallback, Disposable, Message, MessageReader } from 'vscode-languageserver/node';

/** Larger frames are discarded: a document this large would not be analysed anyway. */
export const MAX_FRAME_BYTES = 64 * 1024 * 1024;
/** A header block longer than this has no end: garbage. */
const MAX_HEADER_BYTES = 16 * 1024;
const HEADER_END = Buffer.from('\r\n\r\n');
const CONTENT_LENGTH = /^content-length$/i;

export type Malformed = (code: number, message: string) => void;

/** By default an error thrown by the connection on a message is rethrown outside the reader: uncaught (server.ts logs those). */
const rethrowLater = (e: unknown) => setImmediate(() => { throw e; });

export class FrameReader extends AbstractMessageReader implements MessageReader {
  private buffer: Buffer = Buffer.alloc(0);
  /** Bytes of an oversized frame still to discard. */
  private discarding = 0;
  /** After a header without a usable length: skip to the next `Content-Length:`. */
  private resyncing = false;
  private callback: DataCallback | undefined;

  constructor(private readable: Readable, private onMalformed: Malformed, private onCallbackError: (e: unknown) => void = rethrowLater) {
    super();
  }

  listen(callback: DataCallback): Disposable {
    this.callback = callback;
    const onData = (chunk: Buffer) => this.onData(chunk);
    const onError = (e: Error) => this.fireError(e);
    const onClose = () => this.fireClose();
    this.readable.on('data', onData);
    this.readable.on('error', onError);
    this.readable.on('end', onClose);
    this.readable.on('close', onClose);
    return Disposable.create(() => {
      this.callback = undefined;
      this.readable.off('data', onData);
      this.readable.off('error', onError);
      this.readable.off('end', onClose);
      this.readable.off('close', onClose);
    });
  }

  private onData(chunk: Buffer): void {
    if (this.discarding) {
      const n = Math.min(this.discarding, chunk.length);
      this.discarding -= n;
      chunk = chunk.subarray(n);
      if (!chunk.length) return;
    }
    this.buffer = this.buffer.length ? Buffer.concat([this.buffer, chunk]) : chunk;
    while (this.step()) { /* one frame (or one skipped piece) per step */ }
  }

  /** Consume one frame or one piece of garbage from the buffer; false when more bytes are needed. */
  private step(): boolean {
    if (this.resyncing) {
      const at = indexOfHeader(this.buffer);
      if (at < 0) {
        // Keep a tail that could be the start of a split `Content-Length`.
        this.buffer = this.buffer.subarray(Math.max(0, this.buffer.length - 15));
        return false;
      }
      this.buffer = this.buffer.subarray(at);
      this.resyncing = false;
    }
    const end = this.buffer.indexOf(HEADER_END);
    if (end < 0) {
      if (this.buffer.length > MAX_HEADER_BYTES) this.malformed('a frame header without an end', true);
      return false;
    }
    const header = this.buffer.subarray(0, end).toString('ascii');
    const bodyStart = end + HEADER_END.length;
    let length: number | undefined;
    let lengthText: string | undefined;
    for (const line of header.split('\r\n')) {
      const colon = line.indexOf(':');
      if (colon > 0 && CONTENT_LENGTH.test(line.slice(0, colon).trim())) lengthText = line.slice(colon + 1).trim();
    }
    if (lengthText !== undefined && /^\d{1,15}$/.test(lengthText)) length = Number(lengthText);
    if (length === undefined) {
      this.buffer = this.buffer.subarray(bodyStart);
      this.malformed(lengthText === undefined ? 'a frame without a Content-Length header' : `a frame with an invalid Content-Length (${JSON.stringify(lengthText.slice(0, 40))})`, true);
      return true;
    }
    if (length > MAX_FRAME_BYTES) {
      const inBuffer = Math.min(length, this.buffer.length - bodyStart);
      this.buffer = this.buffer.subarray(bodyStart + inBuffer);
      this.discarding = length - inBuffer;
      this.malformed(`a frame of ${length} bytes, over the ${MAX_FRAME_BYTES}-byte limit`, false);
      return this.buffer.length > 0;
    }
    if (this.buffer.length < bodyStart + length) return false;
    // A leading byte-order mark is dropped, as vscode-jsonrpc's decoder does.
    const body = this.buffer.subarray(bodyStart, bodyStart + length).toString('utf8').replace(/^\uFEFF/, '');
    this.buffer = this.buffer.subarray(bodyStart + length);
    let message: unknown;
    try {
      message = JSON.parse(body);
    } catch (e) {
      this.malformed(`a frame whose body is not JSON (${(e as Error).message})`, false);
      return true;
    }
    if (typeof message !== 'object' || message === null || Array.isArray(message)) {
      this.onMalformed(-32600, 'invalid request: a message must be a JSON object');
      return true;
    }
    try {
      this.callback?.(message as Message);
    } catch (e) {
      // The connection threw on this message (vscode-jsonrpc did on a request cancelled twice,
      // cancellation.ts): the frames after it in the chunk are still read, not left in the buffer
      // until more bytes come (a client waiting for an answer would wait forever).
      this.onCallbackError(e);
    }
    return true;
  }

  private malformed(what: string, resync: boolean): void {
    if (resync) this.resyncing = true;
    this.onMalformed(-32700, `parse error: ${what}${resync ? '; reading resumes at the next header' : ''}`);
  }
}

/**
 * The start of the next `Content-Length` header, case-insensitively. Anywhere, not only at a line
 * start: the next frame usually follows the bad one's body directly.
 */
function indexOfHeader(buffer: Buffer): number {
  return buffer.toString('latin1').search(/content-length\s*:/i);
}
