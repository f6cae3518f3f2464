'use strict';

const { startHealthServer } = require('./health');
const { startSync } = require('./scheduler/sync-job');
const consumer = require('./queue/consumer');
const { render } = require('./scheduler/render-pool');

startHealthServer(Number(process.env.HEALTH_PORT || 9000));
startSync();
consumer.start('render', (job, ack) => {
  render(job).then(() => ack(), ack);
});
