'use strict';

const net = require('net');
const tls = require('tls');

/**
 * Sends a payload to a syslog/GELF collector.
 * With waitForAck the collector answers "OK\n" before we hang up.
 */
function sendPayload(opts, payload, cb) {
  const transport = opts.tls ? tls : net;
  const sock = transport.connect(opts.port, opts.host);
  sock.on('error', cb);
  sock.write(payload);
  if (!opts.waitForAck) {
    cb(null);
    return;
  }
  sock.once('data', (d) => {
    sock.end();
    cb(d.toString().trim() === 'OK' ? null : new Error('collector rejected payload'));
  });
}

module.exports = { sendPayload };
