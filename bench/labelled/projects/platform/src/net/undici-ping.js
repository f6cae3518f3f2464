'use strict';

const { request } = require('undici');

async function pingService(url) {
  const res = await request(url, { headersTimeout: 2000 });
  return res.statusCode < 500;
}

module.exports = { pingService };
