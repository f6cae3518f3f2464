const t = require('tap');
const net = require('net');

t.test('line protocol', (t) => {
  const server = net.createServer((sock) => {
    sock.setEncoding('utf8');
    sock.on('data', (line) => sock.write(line.toUpperCase()));
  });
  server.listen(0, () => {
    t.teardown(() => server.close());
    const client = net.connect(server.address().port, () => client.write('hi\n'));
    client.setEncoding('utf8');
    client.on('data', (d) => {
      t.equal(d, 'HI\n');
      client.end();
      t.end();
    });
  });
});
