const { createApp } = require('../src/app');

test('GET /users returns the seeded users', async () => {
  const server = createApp({ users: [{ name: 'linus' }, { name: 'ken' }] }).listen(0);
  const { port } = server.address();
  const res = await fetch(`http://127.0.0.1:${port}/users`);
  expect(res.status).toBe(200);
  const body = await res.json();
  expect(body).toHaveLength(2);
  server.close();
});

test('POST /users echoes the user', async () => {
  const server = createApp().listen(0);
  const { port } = server.address();
  const res = await fetch(`http://127.0.0.1:${port}/users`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'barbara' }),
  });
  expect(res.status).toBe(201);
  expect(await res.json()).toEqual({ name: 'barbara' });
});
