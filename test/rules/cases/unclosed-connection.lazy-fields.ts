// unclosed-connection: a project client class that connects on first use into a field (`this.socket ??=
// net.connect(…)`) and closes it in `unbind()` (an LDAP client's close), and a test that asserts the field
// is gone after a failed connect (a passing run holds no connection).
import { InvalidCase, ValidCase } from '../../helpers/rule-tester';

const CLIENT = `
      import * as net from 'net';
      export class DirClient {
        private socket?: net.Socket;
        async bind(): Promise<void> { this.socket ??= net.connect(389, 'localhost'); }
        async unbind(): Promise<void> { this.socket?.destroy(); this.socket = undefined; }
        async [Symbol.asyncDispose]() { return this.unbind(); }
      }`;

export const invalid: InvalidCase[] = [
  {
    name: 'a client bound in a test and never unbound',
    code: `
      import { DirClient } from '../src/client';
      it('binds', async () => {
        const client = new DirClient();
        await client.bind();
      });`,
    files: { 'src/client.ts': CLIENT },
    file: 'test/bind.test.ts',
    errors: [{ line: 3, message: /new DirClient\(\)` is never closed/ }],
  },
];

export const valid: ValidCase[] = [
  {
    name: 'the client unbound at the end of the test',
    code: `
      import { DirClient } from '../src/client';
      it('binds', async () => {
        const client = new DirClient();
        await client.bind();
        await client.unbind();
      });`,
    files: { 'src/client.ts': CLIENT },
    file: 'test/bind.test.ts',
  },
  {
    name: 'a test that expects the connect to fail and asserts that the client holds no socket',
    code: `
      import { DirClient } from '../src/client';
      it('drops the socket when the connect fails', async () => {
        const client = new DirClient();
        try {
          await client.bind();
        } catch {
          // expected
        } finally {
          expect((client as any).socket).toBeUndefined();
        }
      });`,
    files: { 'src/client.ts': CLIENT },
    file: 'test/bind.test.ts',
  },
];
