const http = require('http');
const { createApp } = require('../src/app');

let server;
let base;

beforeEach((done) => {
  server = http.createServer(createApp()).listen(0, () => {
    base = `http://127.0.0.1:${server.address().port}`;
    done();
  });
});

afterAll((done) => {
  server.close(done);
});

test('slow endpoint answers', async () => {
  const res = await fetch(`${base}/slow`);
  expect(await res.text()).toBe('done');
});

test('users endpoint answers', async () => {
  const res = await fetch(`${base}/users`);
  expect(await res.json()).toEqual([]);
});
