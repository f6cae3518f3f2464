// unclosed-connection: a handle object whose own method returns the const that holds it (a fluent `on()`:
// `const watch = { on(e, l) { …; return watch }, stop() { … } }`). Asking whether that object holds the connection
// must not follow the object into itself (it did, until the stack overflowed and the whole file went unanalysed).
import { InvalidCase, ValidCase } from '../../helpers/rule-tester';

const WATCH = (stop: string) => `
      import http2 from 'node:http2';
      import { EventEmitter } from 'node:events';
      export interface PriceWatch { on(e: string, l: (...a: unknown[]) => void): PriceWatch; stop(): void }
      export function watch(base: string, grades: string[]): PriceWatch {
        const emitter = new EventEmitter();
        const session = http2.connect(base);
        session.on('error', (err) => emitter.emit('error', err));
        const stream = session.request({ ':method': 'GET', ':path': '/v2/stream?grades=' + grades.join(',') });
        stream.on('data', (chunk) => emitter.emit('tick', chunk));
        const handle: PriceWatch = {
          on(event: string, listener: (...args: unknown[]) => void) { emitter.on(event, listener); return handle; },
          stop() { ${stop} },
        } as PriceWatch;
        return handle;
      }`;

export const valid: ValidCase[] = [
  {
    name: "a fluent watch handle whose stop() cancels the stream and closes the session",
    code: WATCH('stream.close(http2.constants.NGHTTP2_CANCEL); session.close();'),
  },
];

export const invalid: InvalidCase[] = [
  {
    name: 'a fluent watch handle (its on() returns the handle) whose stop() cancels only the stream: the session stays open',
    code: WATCH('stream.close(http2.constants.NGHTTP2_CANCEL);'),
    errors: [{ line: 6, message: /^HTTP\/2 session from `http2.connect` is never closed/ }],
  },
];
