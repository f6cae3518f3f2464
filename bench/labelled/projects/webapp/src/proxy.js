const http = require('http');

const agent = new http.Agent({ keepAlive: true });

/** A tiny proxy in front of the API, used in development. */
function createProxy(targetPort) {
  return http.createServer((req, res) => {
    const upstream = http.request(
      { port: targetPort, path: req.url, method: req.method, headers: req.headers, agent },
      (ures) => {
        res.writeHead(ures.statusCode, ures.headers);
        ures.pipe(res);
      },
    );
    upstream.on('error', () => {
      res.writeHead(502);
      res.end();
    });
    req.pipe(upstream);
  });
}

module.exports = { createProxy, agent };
