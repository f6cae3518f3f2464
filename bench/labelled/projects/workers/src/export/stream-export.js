'use strict';

const axios = require('axios');
const fs = require('fs');

const MAX_BYTES = 500 * 1024 * 1024;

/** Copies a partner's nightly export to local disk. */
async function copyExport(url, dest) {
  const res = await axios.get(url, { responseType: 'stream', timeout: 60000 });
  const size = Number(res.headers['content-length'] || 0);
  if (size > MAX_BYTES) {
    throw new Error(`export too large: ${size} bytes`);
  }
  await new Promise((resolve, reject) => {
    const out = fs.createWriteStream(dest);
    res.data.pipe(out);
    out.on('finish', resolve);
    out.on('error', reject);
    res.data.on('error', reject);
  });
  return size;
}

module.exports = { copyExport };
