'use strict';

const net = require('net');

const SOCKET_PATH = process.env.CONTROL_SOCKET || '/run/workers/control.sock';

/** Sends one JSON command to the supervisor and resolves with its one-line answer. */
function control(command) {
  return new Promise((resolve, reject) => {
    const s = net.createConnection(SOCKET_PATH);
    let buf = '';
    s.setEncoding('utf8');
    s.on('connect', () => s.write(JSON.stringify(command) + '\n'));
    s.on('data', (chunk) => {
      buf += chunk;
      const nl = buf.indexOf('\n');
      if (nl !== -1) {
        s.end();
        try {
          resolve(JSON.parse(buf.slice(0, nl)));
        } catch (err) {
          reject(err);
        }
      }
    });
    s.on('error', reject);
  });
}

module.exports = { control };
