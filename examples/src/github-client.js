// Plain JavaScript: recognised through require() bindings and the global fetch.
const https = require('https');

async function repoExists(owner, repo) {
  const res = await fetch(`https://api.github.com/repos/${owner}/${repo}`);
  if (!res.ok) {
    // The body is never read or cancelled: the connection is not returned to the pool.
    return false;
  }
  const data = await res.json();
  return Boolean(data.id);
}

function getStatus(url, callback) {
  https.get(url, (res) => {
    if (res.statusCode !== 200) {
      callback(new Error(`HTTP ${res.statusCode}`));
      return;
    }
    let body = '';
    res.setEncoding('utf8');
    res.on('data', (chunk) => { body += chunk; });
    res.on('end', () => callback(null, body));
  });
}

async function ping(url) {
  const res = await fetch(url, { method: 'HEAD' });
  return res.status;
}

module.exports = { repoExists, getStatus, ping };
