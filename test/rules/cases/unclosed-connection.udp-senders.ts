// unclosed-connection: a bound UDP socket is a listener, meant to keep running, unless the code closes it once its
// datagram is sent (`socket.send(frame, port, host, (err) => { …; socket.close() })`): a one-shot announcement,
// whose paths are followed like any socket's. dgram hands a send error to that callback and emits no `'error'`.
import { InvalidCase, ValidCase } from '../../helpers/rule-tester';

const ANNOUNCE = (onError: string) => `
      import dgram from 'node:dgram';
      export function announce(host: string, frame: Buffer): void {
        const socket = dgram.createSocket('udp4');
        socket.bind(() => {
          socket.setBroadcast(true);
          socket.send(frame, 4210, host, (err) => {
            if (err) {
              console.error(err.message);${onError}
              return;
            }
            socket.close();
          });
        });
      }`;

export const invalid: InvalidCase[] = [
  {
    name: 'a broadcast socket bound for one announcement, left bound when its send fails',
    code: ANNOUNCE(''),
    errors: [{ line: 3, message: /^UDP socket from `dgram.createSocket` is not closed when the `return` on line 9 is taken/ }],
  },
];

export const valid: ValidCase[] = [
  {
    name: 'the same announcement closing the socket on the failed send too',
    code: ANNOUNCE('\n              socket.close();'),
  },
  {
    name: 'a bound listener that answers each probe and is closed only at shutdown',
    code: `
      import dgram from 'node:dgram';
      export function startResponder(port: number): void {
        const socket = dgram.createSocket('udp4');
        socket.on('message', (msg, rinfo) => {
          socket.send(Buffer.from('pong'), rinfo.port, rinfo.address, (err) => {
            if (err) console.error(err.message);
          });
        });
        socket.bind(port);
        process.once('SIGTERM', () => socket.close());
      }`,
  },
];
