const test = require('node:test');
const assert = require('node:assert');
const http = require('node:http');
const { once } = require('node:events');
const { createProxy, agent } = require('../src/proxy');

test('proxies requests to the API', async () => {
  const api = http.createServer((req, res) => res.end(`api saw ${req.url}`));
  api.listen(0);
  await once(api, 'listening');

  const proxy = createProxy(api.address().port);
  proxy.listen(0);
  await once(proxy, 'listening');

  const res = await fetch(`http://127.0.0.1:${proxy.address().port}/hello`);
  assert.strictEqual(await res.text(), 'api saw /hello');

  api.close();
  agent.destroy();
});
