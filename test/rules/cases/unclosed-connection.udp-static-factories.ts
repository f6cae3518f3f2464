// unclosed-connection: a UDP socket a class's static factory gives its private constructor (a parameter property),
// beside the TCP socket it connects there: the class's close() ends the TCP socket, so one that forgets the UDP
// socket leaves it bound (a UDP socket kept for good, with no sibling closed, is a listener: left alone).
import { InvalidCase, ValidCase } from '../../helpers/rule-tester';

/** A gauge client a static `open()` makes with a TCP socket and a UDP heartbeat socket, both parameter properties; `close` is its close(). */
const GAUGE_CLIENT = (close: string) => `
      import net from 'node:net';
      import dgram from 'node:dgram';
      import { once } from 'node:events';
      export class GaugeStationClient {
        private timer?: NodeJS.Timeout;
        private constructor(private readonly socket: net.Socket, private readonly heartbeat: dgram.Socket) {}
        static async open(host: string, port: number): Promise<GaugeStationClient> {
          const socket = net.createConnection({ host, port });
          await once(socket, 'connect');
          const heartbeat = dgram.createSocket('udp4');
          const client = new GaugeStationClient(socket, heartbeat);
          client.timer = setInterval(() => heartbeat.send('PING', 7001, host), 20_000);
          return client;
        }
        close(): void {
          clearInterval(this.timer);
          ${close}
        }
      }`;

export const invalid: InvalidCase[] = [{
  name: "a UDP heartbeat socket a static open() gives the private constructor, forgotten by the close() that ends the TCP socket",
  code: GAUGE_CLIENT("this.socket.end('QUIT\\r\\n');"),
  errors: [{ line: 10, message: /^UDP socket from `dgram.createSocket` is kept in `this.heartbeat`, and nothing in its class ever closes it/ }],
}];
export const valid: ValidCase[] = [{
  name: 'the same close() closing the heartbeat socket too',
  code: GAUGE_CLIENT("this.socket.end('QUIT\\r\\n');\n          this.heartbeat.close();"),
}];
