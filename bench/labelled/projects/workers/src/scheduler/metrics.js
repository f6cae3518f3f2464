'use strict';

const dgram = require('dgram');

const socket = dgram.createSocket('udp4');
socket.unref();

const HOST = process.env.STATSD_HOST || '127.0.0.1';
const PORT = Number(process.env.STATSD_PORT || 8125);

function gauge(name, value) {
  const msg = Buffer.from(`workers.${name}:${value}|g`);
  socket.send(msg, PORT, HOST);
}

process.on('exit', () => socket.close());

module.exports = { gauge };
