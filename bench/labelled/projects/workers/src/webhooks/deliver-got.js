'use strict';

const got = require('got');
const fs = require('fs');
const { pipeline } = require('stream/promises');

/** Archives the payload a partner exposes for each delivery. */
async function archivePayload(url, dest) {
  await pipeline(got.stream(url, { timeout: { request: 30000 } }), fs.createWriteStream(dest));
}

async function fetchReceipt(url) {
  const { body } = await got(url, { responseType: 'json', retry: { limit: 2 } });
  return body;
}

module.exports = { archivePayload, fetchReceipt };
