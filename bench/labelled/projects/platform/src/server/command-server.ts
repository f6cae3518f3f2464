import net from 'node:net';

type Handler = (args: string[]) => string;

/** A tiny line-based admin protocol (HELP, STATS, FLUSH …) on a local port. */
export function startCommandServer(port: number, commands: Record<string, Handler>) {
  const server = net.createServer((socket) => {
    socket.setEncoding('utf8');
    let buf = '';
    socket.on('data', (chunk: string) => {
      buf += chunk;
      let nl: number;
      while ((nl = buf.indexOf('\n')) !== -1) {
        const [cmd, ...args] = buf.slice(0, nl).trim().split(/\s+/);
        buf = buf.slice(nl + 1);
        if (cmd.toUpperCase() === 'QUIT') {
          socket.end('BYE\n');
          return;
        }
        const handler = commands[cmd.toUpperCase()];
        if (!handler) {
          socket.write(`ERR unknown command ${cmd}\n`);
          continue;
        }
        socket.write(handler(args) + '\n');
      }
    });
  });
  server.listen(port, '127.0.0.1');
  return server;
}
