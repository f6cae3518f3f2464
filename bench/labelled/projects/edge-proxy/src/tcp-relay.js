import net from 'node:net';

/** Plain TCP relay for the Postgres port during the datacenter move. */
export function startRelay({ listenPort, targetHost, targetPort }) {
  const server = net.createServer((client) => {
    const target = net.connect(targetPort, targetHost);
    client.pipe(target).pipe(client);
    target.on('error', () => client.destroy());
    client.on('error', () => target.destroy());
  });
  server.listen(listenPort);
  return server;
}
