'use strict';

const amqp = require('amqplib');

let channelPromise = null;

function getChannel() {
  if (!channelPromise) {
    channelPromise = amqp
      .connect(process.env.AMQP_URL || 'amqp://localhost')
      .then((conn) => {
        conn.on('close', () => {
          channelPromise = null;
        });
        return conn.createConfirmChannel();
      })
      .catch((err) => {
        channelPromise = null;
        throw err;
      });
  }
  return channelPromise;
}

async function publish(queue, payload) {
  const ch = await getChannel();
  await ch.assertQueue(queue, { durable: true });
  ch.sendToQueue(queue, Buffer.from(JSON.stringify(payload)), { persistent: true });
  await ch.waitForConfirms();
}

module.exports = { publish };
