// connection-churn: clients made for each message a queue consumer handles (amqplib's `consume`, a Redis or
// NATS `subscribe` callback, Bull's `process`), and a pooled SMTP transport whose options a project function
// returns; the look-alikes: a connection per call that holds one long subscription read in a loop of its own,
// and options whose `pool` is not known to be true, and a JetStream consumer's messages, reached through a chain of
// the connection's handles, read in a loop (beside the same connection fetching one message per call).
import { InvalidCase, ValidCase } from '../../helpers/rule-tester';

/** A run consumer whose handler looks variants up in Cassandra (variants.js) for each message. */
const CONSUMER = `
      import amqp from 'amqplib';
      import { lookupVariants } from './variants.js';
      async function handleRun(run, cfg) {
        const variants = run.status === 'passed' ? await lookupVariants(run.runId, cfg.cassandra) : [];
        console.log(run.runId, variants.length);
      }
      export async function startRunConsumer(cfg) {
        const conn = await amqp.connect(cfg.amqpUrl);
        const ch = await conn.createChannel();
        await ch.consume(cfg.queue, async (msg) => {
          if (!msg) return;
          await handleRun(JSON.parse(msg.content.toString()), cfg);
          ch.ack(msg);
        });
        return async () => { await ch.close(); await conn.close(); };
      }`;

/** `notifyJobDone` makes a transport with the options `smtpOptions()` returns; a job loop calls it. */
const mailer = (pool: string) => `
      const nodemailer = require('nodemailer');
      function smtpOptions() {
        return { pool: ${pool}, maxConnections: 2, host: process.env.SMTP_HOST || 'smtp.example.com', port: 587 };
      }
      async function notifyJobDone(job) {
        const transporter = nodemailer.createTransport(smtpOptions());
        try {
          const info = await transporter.sendMail({ from: 'jobs@example.com', to: job.email, subject: 'Job ' + job.id + ' is ready' });
          return info.messageId;
        } finally {
          transporter.close();
        }
      }
      async function drain(jobs) {
        for (const job of jobs) await notifyJobDone(job);
      }
      module.exports = { drain };`;

/** A JetStream audit consumer on its own connection; `read` is how it reads the consumer's messages. */
const auditConsumer = (read: string) => `
      import { connect } from 'nats';
      export async function runAudit(servers, record) {
        const nc = await connect({ servers, name: 'gate-audit' });
        try {
          const consumer = await nc.jetstream().consumers.get('GATES', 'audit');
${read}
        } finally {
          await nc.drain();
        }
      }`;

export const invalid: InvalidCase[] = [
  {
    name: "a Cassandra client made, connected and shut down for each message an amqplib consumer handles, two calls away",
    code: `
      import cassandra from 'cassandra-driver';
      export async function lookupVariants(runId, { contactPoints, localDataCenter, keyspace }) {
        const client = new cassandra.Client({ contactPoints, localDataCenter, keyspace });
        await client.connect();
        try {
          const rs = await client.execute('SELECT gene FROM variants_by_run WHERE run_id = ?', [runId], { prepare: true });
          return rs.rows;
        } finally {
          await client.shutdown();
        }
      }`,
    ext: '.js',
    file: 'src/variants.js',
    files: { 'src/consumer.js': CONSUMER },
    errors: [{ line: 3, messageId: 'clientPerCall' }],
  },
  {
    name: 'a pooled SMTP transport, its options from a project function, made and closed for each job of a loop',
    code: mailer('true'),
    ext: '.js',
    errors: [{ line: 6, messageId: 'clientPerCall' }],
  },
  {
    name: 'the same audit connection when it fetches one message of the consumer per call: a connection per message',
    code: auditConsumer('          const m = await consumer.next();\n          if (m) { await record(m.json()); m.ack(); }'),
    ext: '.js',
    errors: [{ line: 3, messageId: 'clientPerCall' }],
  },
];

export const valid: ValidCase[] = [
  {
    name: "a connection per call whose JetStream consumer's messages, reached through a chain of its handles, are read in a loop until stopped",
    code: auditConsumer('          const messages = await consumer.consume({ max_messages: 100 });\n          for await (const m of messages) { await record(m.json()); m.ack(); }'),
    ext: '.js',
  },
  {
    name: 'a NATS connection per call that holds one subscription, read in a loop until the run is reported, then drained',
    code: `
      import { connect, StringCodec } from 'nats';
      const sc = StringCodec();
      export async function watchRun(servers, runId, onStage) {
        const nc = await connect({ servers, name: 'watch-' + runId });
        try {
          const sub = nc.subscribe('pipeline.' + runId + '.stage');
          for await (const msg of sub) {
            const stage = JSON.parse(sc.decode(msg.data));
            await onStage(stage);
            if (stage.name === 'reported') break;
          }
        } finally {
          await nc.drain();
        }
      }`,
    ext: '.js',
  },
  {
    name: 'a transport whose options a project function returns with `pool` taken from the environment: not known to be pooled',
    code: mailer("process.env.SMTP_POOL === '1'"),
    ext: '.js',
  },
];
