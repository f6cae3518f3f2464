'use strict';

const { Kafka } = require('kafkajs');

const kafka = new Kafka({ clientId: 'workers', brokers: (process.env.KAFKA_BROKERS || 'localhost:9092').split(',') });

/** Emits an audit event. Called for every processed invoice. */
async function emitAudit(event) {
  const producer = kafka.producer();
  await producer.connect();
  await producer.send({ topic: 'audit', messages: [{ key: event.id, value: JSON.stringify(event) }] });
}

module.exports = { emitAudit };
