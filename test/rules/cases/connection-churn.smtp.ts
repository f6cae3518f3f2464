// connection-churn: nodemailer transports without `pool: true` made per call for their one mail, in a function the
// project calls for each item of a batch (`smtpPerCall`: a shared non-pooled transport connects for each mail just
// the same, so only mails that come in a burst make the per-call one worth a pooled transport) or for every request
// or event, and the look-alikes that are not churn: one where nothing shows how often it runs, one sent for failures only
// or throttled to at most one a second, one made once, in a script's main(), handed
// out by a factory, not speaking SMTP, only verified, or pointed at a server its caller names. A pooled
// transport made per job and never closed, in code known to run for every job: its pools pile up with the
// jobs (`clientPerCallOpen`); where nothing shows how often it runs, it is unclosed-connection's leak.
import { InvalidCase, ValidCase } from '../../helpers/rule-tester';

/** A pooled transport made by `notifyJob` and never closed; `callers` is the rest of the module. */
const POOLED_PER_JOB = (callers: string) => `
      const nodemailer = require('nodemailer');
      async function notifyJob(job) {
        const transporter = nodemailer.createTransport({ pool: true, host: 'smtp.internal', port: 587, maxConnections: 2 });
        await transporter.sendMail({ from: 'backup@example.com', to: 'ops@example.com', subject: 'job ' + job.id + ' failed', text: job.error });
      }${callers}`;

/** An alert mailer throttled per subject to one mail per `interval` ms (a parameter's default), run for each alert of a bus. */
function throttledAlert(interval: string): string {
  return `
      const bus = require('./bus');
      const nodemailer = require('nodemailer');
      const lastSent = new Map();
      async function sendAlert(subject, detail, { minIntervalMs = ${interval} } = {}) {
        const now = Date.now();
        if (now - (lastSent.get(subject) || 0) < minIntervalMs) return null;
        lastSent.set(subject, now);
        const transporter = nodemailer.createTransport({ host: 'smtp.example.com', port: 587, connectionTimeout: 10000 });
        const info = await transporter.sendMail({ from: 'bridge@example.com', to: 'ops@example.com', subject, text: String(detail) });
        return info.messageId;
      }
      bus.on('alert', (a) => sendAlert(a.subject, a.detail));
      module.exports = { sendAlert };`;
}

/** A receipt mailer making a non-pooled transport per mail; `callers` is the rest of the module. */
const RECEIPT = (callers: string) => `
      import nodemailer from 'nodemailer';
      export async function sendReceipt(to: string, text: string) {
        const transport = nodemailer.createTransport({ host: 'smtp.example.com', port: 587, auth: { user: 'u', pass: 'p' } });
        const info = await transport.sendMail({ from: 'shop@example.com', to, subject: 'Your order', text });
        return info.messageId;
      }${callers}`;

/** An express route of the module that awaits `mail` for every booking. */
const BOOKING_ROUTE = (mail: string) => `
      import { Router } from 'express';
      export const bookings = Router();
      bookings.post('/bookings', async (req, res) => {
        await ${mail};
        res.status(201).end();
      });`;

/** A module-local factory of non-pooled transports and a booking mailer that uses it; `rest` is the rest of the module. */
const MAILER_FACTORY = (rest: string) => `
      import nodemailer from 'nodemailer';
      function transport() {
        return nodemailer.createTransport({ host: 'smtp.example.com', port: 587, auth: { user: 'u', pass: 'p' } });
      }
      export async function sendBookingConfirmation(to: string, reference: string) {
        await transport().sendMail({ to, subject: 'Your lanes are booked (' + reference + ')', text: reference });
      }${rest}`;

export const invalid: InvalidCase[] = [
  {
    name: 'a non-pooled SMTP transport per call of a mailer called for each stock line, its options from a function of the module (`createTransport(smtpOptions())`)',
    code: `
      import nodemailer from 'nodemailer';
      function smtpOptions() {
        return { host: process.env.SMTP_HOST ?? 'smtp.office365.com', port: 587, secure: false };
      }
      export async function sendShortageAlert(sku: string, to: string[]) {
        const transport = nodemailer.createTransport(smtpOptions());
        const info = await transport.sendMail({ to, subject: 'Out of stock: ' + sku, text: sku });
        return info.messageId;
      }
      export async function runReplenishment(rows: Array<{ sku: string; onHand: number }>, managers: string[]) {
        for (const row of rows) {
          if (row.onHand === 0) await sendShortageAlert(row.sku, managers);
        }
      }`,
    errors: [{ line: 6, messageId: 'smtpPerCall' }],
  },
  {
    name: "a non-pooled SMTP transport per call, its options spread from a property of the project's settings (`...config.smtp`)",
    code: `
      import nodemailer from 'nodemailer';
      import { config } from './config';
      export async function sendInvoice(to: string, pdf: Buffer) {
        const mailer = nodemailer.createTransport({ ...config.smtp, dkim: config.dkim });
        const info = await mailer.sendMail({ from: config.from, to, subject: 'Invoice', attachments: [{ filename: 'invoice.pdf', content: pdf }] });
        return info.messageId;
      }
      export function mailEachInvoice(invoices: Array<{ to: string; pdf: Buffer }>) {
        return Promise.all(invoices.map((i) => sendInvoice(i.to, i.pdf)));
      }`,
    files: {
      'config.ts': "export const config = {\n  smtp: { host: process.env.SMTP_HOST ?? 'smtp.example.com', port: 587 },\n  dkim: undefined,\n  from: 'billing@example.com',\n};\n",
    },
    errors: [{ line: 4, messageId: 'smtpPerCall' }],
  },
  {
    name: "a non-pooled SMTP transport per recipient in a loop, its options spread from a module's exported settings",
    code: `
      import nodemailer from 'nodemailer';
      import { smtpSettings } from './transport';
      export async function sendDigests(rows: Array<{ email: string }>) {
        for (const row of rows) {
          const transporter = nodemailer.createTransport({ ...smtpSettings, connectionTimeout: 10_000 });
          await transporter.sendMail({ to: row.email, text: 'digest' });
        }
      }`,
    files: {
      'transport.ts': "const smtp = { host: process.env.SMTP_HOST ?? 'smtp.internal', port: 587 };\nexport const smtpSettings = smtp;\n",
    },
    errors: [{ line: 5, messageId: 'smtpPerIteration' }],
  },
  {
    name: "a non-pooled SMTP transport per waitlist member in a loop, given a settings const another module exports",
    code: `
      import nodemailer from 'nodemailer';
      import { smtpConfig } from './mailer';
      export async function notifyWaitlist(members: Array<{ email: string }>) {
        for (const m of members) {
          const transport = nodemailer.createTransport(smtpConfig);
          await transport.sendMail({ to: m.email, text: 'a shelf is free' });
        }
      }`,
    files: { 'mailer.ts': "export const smtpConfig = { host: process.env.SMTP_HOST ?? 'localhost', port: 587 };\n" },
    errors: [{ line: 5, messageId: 'smtpPerIteration' }],
  },
  {
    name: 'a non-pooled SMTP transport per call of a mail helper the module calls for every order of a batch',
    code: RECEIPT(`
      export async function sendReceipts(orders: Array<{ email: string; summary: string }>) {
        for (const o of orders) await sendReceipt(o.email, o.summary);
      }`),
    errors: [{ line: 3, messageId: 'smtpPerCall' }],
  },
  {
    name: 'a non-pooled SMTP transport per call, closed after its one mail (CommonJS, options in a const)',
    code: `
      const nodemailer = require('nodemailer');
      async function notify(to, text) {
        const options = { service: 'gmail', auth: { user: process.env.U, pass: process.env.P } };
        const transport = nodemailer.createTransport(options);
        try {
          await transport.sendMail({ to, text });
        } finally {
          transport.close();
        }
      }
      exports.notifyAll = async (users, text) => {
        for (const u of users) await notify(u.email, text);
      };`,
    file: 'notify.js',
    errors: [{ line: 4, messageId: 'smtpPerCall' }],
  },
  {
    name: "a non-pooled SMTP transport per rejected message of a batch, its server from the application's configuration handed down (cfg.smtp.host)",
    code: `
      import nodemailer from 'nodemailer';
      export async function sendRejection(cfg, envelope, reason) {
        const to = envelope.from?.[0]?.address;
        if (!to) return false;
        const relay = nodemailer.createTransport({ host: cfg.smtp.host, port: 25, secure: false });
        await relay.sendMail({ from: cfg.smtp.from, to, subject: 'Undeliverable', text: reason });
        return true;
      }
      export async function bounceRejected(cfg, rejected) {
        for (const r of rejected) await sendRejection(cfg, r.envelope, r.reason);
      }`,
    file: 'bounce.js',
    ext: '.js',
    errors: [{ line: 5, messageId: 'smtpPerCall' }],
  },
];

invalid.push({
  name: 'a pooled SMTP transport made for every failed job (called in a loop) and never closed',
  ext: '.js',
  code: POOLED_PER_JOB(`
      async function notifyFailures(jobs) {
        for (const job of jobs.filter((j) => j.status === 'failed')) await notifyJob(job);
      }
      module.exports = { notifyFailures };`),
  errors: [{ line: 3, message: /A new `nodemailer.createTransport` is created on every call of `notifyJob` and never closed/ }],
});

invalid.push(
  {
    name: 'a non-pooled SMTP transport per call of an alert mailer run for each alert of a bus (throttled to one mail per subject every 500 ms: more than once a second)',
    code: throttledAlert('500'),
    ext: '.js',
    errors: [{ line: 8, messageId: 'smtpPerCall' }],
  },
  {
    name: 'a non-pooled SMTP transport per request of a contact form route',
    code: `
      import express from 'express';
      import nodemailer from 'nodemailer';
      const app = express();
      app.post('/contact', async (req, res) => {
        const transport = nodemailer.createTransport({ host: 'smtp.example.com', port: 465, secure: true });
        await transport.sendMail({ to: 'sales@example.com', text: String(req.body.message) });
        res.sendStatus(204);
      });`,
    errors: [{ line: 5, messageId: 'smtpPerCall' }],
  },
  {
    name: "a booking route's confirmation helper makes a non-pooled SMTP transport for its one mail (one SMTP connection per booking)",
    code: RECEIPT(BOOKING_ROUTE("sendReceipt(String(req.body.email), 'court booked')")),
    errors: [{ line: 3, messageId: 'smtpPerCall' }],
  },
  {
    name: 'a non-pooled SMTP transport per outbid message of an AMQP consumer, closed in finally',
    ext: '.js',
    code: `
      const nodemailer = require('nodemailer');
      const SMTP = { host: process.env.SMTP_HOST || 'smtp.relay.internal', port: 587 };
      async function sendOutbid(email, lot) {
        const transporter = nodemailer.createTransport({ host: SMTP.host, port: SMTP.port });
        try {
          await transporter.sendMail({ to: email, subject: 'Outbid on ' + lot, text: lot });
        } finally {
          transporter.close();
        }
      }
      async function consumeOutbids(channel) {
        await channel.consume('outbid', async (msg) => {
          const n = JSON.parse(msg.content.toString());
          await sendOutbid(n.email, n.lot);
          channel.ack(msg);
        });
      }
      module.exports = { consumeOutbids };`,
    errors: [{ line: 4, messageId: 'smtpPerCall' }],
  },
  {
    name: "a module-local factory of non-pooled transports (`transport().sendMail(m)`) called for every booking of a route: reported at the factory, once",
    code: MAILER_FACTORY(`
      export async function sendLeagueStandings(to: string[], html: string) {
        await transport().sendMail({ bcc: to, subject: 'standings', html });
      }` + BOOKING_ROUTE('sendBookingConfirmation(String(req.body.email), String(req.body.reference))')),
    errors: [{ line: 3, messageId: 'smtpPerCall' }],
  },
  {
    name: 'a module-local factory of non-pooled transports held in a local by a mail helper called for each row of a reminder job',
    ext: '.js',
    code: `
      const nodemailer = require('nodemailer');
      const config = require('./config');
      function createTransport() {
        return nodemailer.createTransport({ host: config.smtp.host, port: config.smtp.port });
      }
      async function sendMail(message) {
        const transport = createTransport();
        const info = await transport.sendMail({ from: config.smtp.from, ...message });
        return info.messageId;
      }
      async function remindAll(rows) {
        for (const row of rows) await sendMail({ to: row.email, subject: 'vaccination due', text: row.name });
      }
      module.exports = { remindAll };`,
    files: { 'config.js': "module.exports = { smtp: { host: 'smtp.example.com', port: 587, from: 'shelter@example.com' } };\n" },
    errors: [{ line: 4, messageId: 'smtpPerCall' }],
  },
  {
    name: 'the same mail helper handed by name to an array method (`rows.map(sendWaitlistMail)`): called for each row',
    ext: '.js',
    code: `
      const nodemailer = require('nodemailer');
      function bulkTransport() {
        return nodemailer.createTransport({ host: process.env.BULK_SMTP_HOST, port: 587 });
      }
      async function sendWaitlistMail(row) {
        const transport = bulkTransport();
        try {
          await transport.sendMail({ from: 'waitlist@example.com', to: row.email, subject: 'A seat opened up', text: row.title });
        } finally {
          transport.close();
        }
      }
      async function offerSeats(rows) {
        const results = await Promise.allSettled(rows.map(sendWaitlistMail));
        return results.filter((r) => r.status === 'rejected').length;
      }
      module.exports = { offerSeats };`,
    errors: [{ line: 3, messageId: 'smtpPerCall' }],
  },
);

export const valid: ValidCase[] = [
  {
    name: 'the same module-local transport factory where nothing shows how often the mailer runs',
    code: MAILER_FACTORY(''),
  },
  {
    name: 'the same factory exported, where nothing shows how often its own file calls it either',
    code: MAILER_FACTORY('').replace('function transport()', 'export function transport()'),
  },
  {
    name: 'a pooled SMTP transport made for one mailing (each guest of a wedding in a loop), closed in finally, from an admin route: the documented use of pool: true',
    code: `
      import express from 'express';
      import nodemailer from 'nodemailer';
      export async function sendRsvpReminders(guests: Array<{ email: string }>): Promise<number> {
        const transporter = nodemailer.createTransport({ pool: true, maxConnections: 3, host: 'smtp.example.com', port: 587 });
        let sent = 0;
        try {
          for (const guest of guests) {
            await transporter.sendMail({ to: guest.email, subject: 'Please RSVP', text: 'We still need your answer.' });
            sent += 1;
          }
        } finally {
          transporter.close();
        }
        return sent;
      }
      export const app = express();
      app.post('/api/weddings/:id/reminders', async (req, res) => {
        res.json({ sent: await sendRsvpReminders(req.body.guests) });
      });`,
  },
  {
    name: "a non-pooled SMTP transport per call whose options function is given the caller's tenant (`smtpOptions(tenant)`): the server is the call's",
    code: `
      import nodemailer from 'nodemailer';
      function smtpOptions(tenant: { smtpHost: string }) {
        return { host: tenant.smtpHost, port: 587 };
      }
      export async function sendShortageAlert(tenant: { smtpHost: string }, sku: string) {
        const transport = nodemailer.createTransport(smtpOptions(tenant));
        await transport.sendMail({ to: 'ops@example.com', subject: sku, text: sku });
      }
      export async function runReplenishment(tenant: { smtpHost: string }, skus: string[]) {
        for (const sku of skus) await sendShortageAlert(tenant, sku);
      }`,
  },
  {
    name: 'an SMTP transport per call whose options function returns a pooled literal on one of its paths: not known to be non-pooled',
    code: `
      import nodemailer from 'nodemailer';
      function smtpOptions() {
        if (process.env.SMTP_POOL) return { host: 'smtp.example.com', port: 587, pool: true };
        return { host: 'smtp.example.com', port: 587 };
      }
      export async function sendShortageAlert(sku: string) {
        const transport = nodemailer.createTransport(smtpOptions());
        await transport.sendMail({ to: 'ops@example.com', subject: sku, text: sku });
      }
      export async function runReplenishment(skus: string[]) {
        for (const sku of skus) await sendShortageAlert(sku);
      }`,
  },
  {
    name: 'the same receipt mailer where nothing shows how often it runs (a shared non-pooled transport would connect per mail all the same)',
    code: RECEIPT(''),
  },
  {
    name: "the same receipt mailer called in a loop's catch only (a mail per failed order: failures are not every item)",
    code: RECEIPT(`
      export async function chargeAll(orders: Array<{ email: string; charge: () => Promise<void> }>) {
        for (const o of orders) {
          try {
            await o.charge();
          } catch (err) {
            await sendReceipt(o.email, 'payment failed: ' + String(err));
          }
        }
      }`),
  },
  {
    name: 'the same throttled alert mailer with nothing that shows how often it is called',
    code: throttledAlert('500').replace("bus.on('alert', (a) => sendAlert(a.subject, a.detail));", ''),
    ext: '.js',
  },
  {
    name: 'the same pooled transport where nothing shows how often it runs (unclosed-connection reports it)',
    ext: '.js',
    code: POOLED_PER_JOB(`
      module.exports = { notifyJob };`),
  },
  {
    name: 'the same alert mailer throttled to one mail per subject every 15 minutes: at most one connection an interval',
    code: throttledAlert('15 * 60 * 1000'),
    ext: '.js',
  },
  {
    name: "a transport per recipient whose spread settings are the module's pooled ones",
    code: `
      import nodemailer from 'nodemailer';
      import { pooled } from './transport';
      export async function sendDigests(rows: Array<{ email: string }>) {
        for (const row of rows) {
          const transporter = nodemailer.createTransport({ ...pooled, connectionTimeout: 10_000 });
          await transporter.sendMail({ to: row.email, text: 'digest' });
        }
      }`,
    files: { 'transport.ts': "export const pooled = { host: 'smtp.internal', pool: true };\n" },
  },
  {
    name: 'a non-pooled SMTP transport made once at module level (each sendMail still connects, but no transport per call)',
    code: `
      import nodemailer from 'nodemailer';
      const transport = nodemailer.createTransport({ host: 'smtp.example.com', port: 587 });
      export async function notify(to: string) {
        await transport.sendMail({ to, text: 'hi' });
      }`,
  },
  {
    name: "a script's main() makes a non-pooled SMTP transport for its one report",
    code: `
      import nodemailer from 'nodemailer';
      async function main() {
        const transport = nodemailer.createTransport({ host: 'smtp.example.com', port: 587 });
        await transport.sendMail({ to: 'ops@example.com', text: 'nightly report' });
      }
      main().catch((err) => { console.error(err); process.exit(1); });`,
  },
  {
    name: 'a factory returns a non-pooled SMTP transport (the caller decides how often)',
    code: `
      import nodemailer from 'nodemailer';
      export function mailer(host: string) {
        const transport = nodemailer.createTransport({ host, port: 587 });
        return transport;
      }`,
  },
  {
    name: 'a non-pooled transport per call that only writes JSON (jsonTransport: nothing connects)',
    code: `
      import nodemailer from 'nodemailer';
      export async function preview(to: string) {
        const transport = nodemailer.createTransport({ jsonTransport: true, host: 'unused' });
        return (await transport.sendMail({ to, text: 'hi' })).message;
      }`,
  },
  {
    name: "an SMTP monitor's check per call: verify() tests a fresh connection on purpose, and sends no mail",
    code: `
      import nodemailer from 'nodemailer';
      export class SmtpMonitor {
        async check(host: string, port: number) {
          const transporter = nodemailer.createTransport({ host: 'smtp.internal', port });
          try {
            await transporter.verify();
          } finally {
            transporter.close();
          }
        }
      }`,
  },
  {
    name: "a notification provider's SMTP transport per call, with the server its caller's settings name",
    code: `
      import nodemailer from 'nodemailer';
      export class SmtpProvider {
        async send(notification: { smtpHost: string; smtpPort: number; to: string }, text: string) {
          const config = { host: notification.smtpHost, port: notification.smtpPort };
          const transporter = nodemailer.createTransport(config);
          await transporter.sendMail({ to: notification.to, text });
          return 'Sent';
        }
      }`,
  },
  {
    name: "a notification provider whose SMTP server comes from a destructured parameter",
    code: `
      const nodemailer = require('nodemailer');
      exports.send = async function send({ smtpHost, smtpPort, to }, text) {
        const transporter = nodemailer.createTransport({ host: smtpHost, port: smtpPort });
        await transporter.sendMail({ to, text });
      };`,
    ext: '.js',
  },
];
