// unclosed-connection: a module function of the project that opens a socket and returns a project object around
// it (`return new ModbusClient(socket)`), whose class keeps it and destroys it in its own `close()`: the caller
// owns that object, and a path that leaves without `plc.close()` leaves the socket open.
import { InvalidCase, ValidCase } from '../../helpers/rule-tester';

const CONNECT = `import net from 'node:net';
import { once } from 'node:events';
export class ModbusClient {
  constructor(private readonly socket: net.Socket) {}
  async readRegister(address: number): Promise<number> {
    this.socket.write(Buffer.from([0, 1, 0, 0, 0, 6, 1, 4, address >> 8, address & 255, 0, 1]));
    const [frame] = (await once(this.socket, 'data')) as [Buffer];
    return frame.readUInt16BE(9);
  }
  close(): void {
    this.socket.destroy();
  }
}
export async function openModbus(host: string, port = 502): Promise<ModbusClient> {
  const socket = net.createConnection({ host, port });
  try {
    await once(socket, 'connect');
  } catch (err) {
    socket.destroy();
    throw err;
  }
  return new ModbusClient(socket);
}
`;

const SELF_TEST = (body: string) => `
      import { openModbus } from './modbus';
      export async function selfTest(host: string): Promise<boolean> {
        const plc = await openModbus(host);
${body}
      }`;

export const invalid: InvalidCase[] = [
  {
    name: 'a self-test that returns early on a fault without closing the client the factory opened',
    code: SELF_TEST(`        const fault = await plc.readRegister(100);
        if (fault !== 0) return false;
        plc.close();
        return true;`),
    files: { 'modbus.ts': CONNECT },
    errors: [{ line: 3, message: /^Connection-owning object from `openModbus\(\)` is not closed when the `return` on line 5 is taken/ }],
  },
];

export const valid: ValidCase[] = [
  {
    name: 'the same self-test closing the client in finally',
    code: SELF_TEST(`        try {
          return (await plc.readRegister(100)) === 0;
        } finally {
          plc.close();
        }`),
    files: { 'modbus.ts': CONNECT },
  },
];
