// unclosed-connection: branches no path takes together: a connection made under one value of an
// unchanged variable and replaced only under another (`if (transport === 'tcp') … if (transport === 'tls')
// …`), beside a replacement under a test that can hold on the same path.
import { InvalidCase, ValidCase } from '../../helpers/rule-tester';

export const valid: ValidCase[] = [
  {
    name: "a connection made under one value of an unchanged variable and replaced only under another (`if (transport === 'tcp') … if (transport === 'tls') …`): no path takes both",
    code: `
      import net from 'node:net';
      import tls from 'node:tls';
      export function dial(transport: string, host: string, port: number) {
        let socket: net.Socket | null = null;
        if (transport === 'tcp') {
          socket = net.connect(port, host);
        }
        if (transport === 'tls') {
          socket = tls.connect({ host, port });
        }
        return socket;
      }`,
  },
];

export const invalid: InvalidCase[] = [
  {
    name: "a connection replaced under a test that can hold on the same path as the one that made it: the first is dropped",
    code: `
      import net from 'node:net';
      import tls from 'node:tls';
      export function dial(transport: string, secure: boolean, host: string, port: number) {
        let socket: net.Socket | null = null;
        if (transport === 'tcp') {
          socket = net.connect(port, host);
        }
        if (transport === 'tls' || secure) {
          socket = tls.connect({ host, port });
        }
        return socket;
      }`,
    errors: [{ line: 6 }],
  },
];
