'use strict';

const amqp = require('amqplib/callback_api');

function start(queue, handler) {
  amqp.connect(process.env.AMQP_URL || 'amqp://localhost', function (err, conn) {
    if (err) {
      console.error('[amqp] connect failed', err.message);
      return setTimeout(function () { start(queue, handler); }, 5000);
    }
    conn.on('close', function () {
      console.error('[amqp] connection closed, reconnecting');
      setTimeout(function () { start(queue, handler); }, 1000);
    });
    conn.createChannel(function (err, ch) {
      if (err) throw err;
      ch.assertQueue(queue, { durable: true });
      ch.prefetch(5);
      ch.consume(queue, function (msg) {
        handler(JSON.parse(msg.content.toString()), function (err) {
          if (err) ch.nack(msg, false, false);
          else ch.ack(msg);
        });
      });
    });
  });
}

module.exports = { start };
