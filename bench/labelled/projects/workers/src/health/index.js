'use strict';

const http = require('http');
const { checkPostgres } = require('./check-postgres');
const { checkRedis } = require('./check-redis');
const { checkHttp } = require('./check-http');

function startHealthServer(port) {
  const server = http.createServer(async (req, res) => {
    if (req.url !== '/health') {
      res.writeHead(404).end();
      return;
    }
    const [pg, redis, api] = await Promise.all([
      checkPostgres(process.env.DATABASE_URL),
      checkRedis(process.env.REDIS_URL),
      checkHttp(`${process.env.API_URL}/healthz`),
    ]);
    const ok = pg.ok && redis.ok && api.ok;
    res.writeHead(ok ? 200 : 503, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ pg, redis, api }));
  });
  server.listen(port);
  return server;
}

module.exports = { startHealthServer };
