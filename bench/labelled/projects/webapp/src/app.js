const express = require('express');

function createApp({ users = [] } = {}) {
  const app = express();
  app.use(express.json());
  app.get('/users', (req, res) => res.json(users));
  app.post('/users', (req, res) => {
    users.push(req.body);
    res.status(201).json(req.body);
  });
  app.get('/slow', (req, res) => setTimeout(() => res.send('done'), 50));
  return app;
}

module.exports = { createApp };
