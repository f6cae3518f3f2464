// FrameReader (server/src/lsp/frames.ts) in-process: what it does when the connection it feeds throws.
import * as assert from 'assert';
import { PassThrough } from 'stream';
import { FrameReader } from '../../server/src/lsp/frames';

const frame = (message: object) => {
  const body = Buffer.from(JSON.stringify({ jsonrpc: '2.0', ...message }));
  return Buffer.concat([Buffer.from(`Content-Length: ${body.length}\r\n\r\n`), body]);
};

describe('lsp: frame reader', () => {
  it('reads the frames after one the connection threw on, in the same chunk, and reports the error', () => {
    const input = new PassThrough();
    const errors: unknown[] = [];
    const reader = new FrameReader(input, () => assert.fail('no frame is malformed'), (e) => errors.push(e));
    const seen: unknown[] = [];
    reader.listen((m) => {
      seen.push((m as unknown as { method: string }).method);
      if (seen.length === 1) throw new TypeError('this._token.cancel is not a function');
    });
    // A PassThrough emits 'data' synchronously on write while flowing: one chunk of three frames.
    input.write(Buffer.concat([frame({ method: '$/cancelRequest', params: { id: 7 } }), frame({ id: 8, method: 'textDocument/hover' }), frame({ method: 'exit' })]));
    assert.deepStrictEqual(seen, ['$/cancelRequest', 'textDocument/hover', 'exit']);
    assert.deepStrictEqual(errors.map((e) => (e as Error).message), ['this._token.cancel is not a function']);
  });
});
