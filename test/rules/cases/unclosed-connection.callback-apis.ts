// unclosed-connection: callback APIs (amqplib/callback_api), where the resource reaches its owner through a
// callback rather than a return value: a channel made with a named callback or a callback parameter
// (the callback API returns the channel and hands it to that callback too), and a connection handed to
// the caller's completion callback wrapped so that it runs once (`_.once(cb)`, `cb.bind(…)`).
import { InvalidCase, ValidCase } from '../../helpers/rule-tester';

const AMQP_PACKAGE = { 'package.json': '{ "name": "broker-client", "dependencies": { "amqplib": "^0.10.4", "async": "^3.2.5", "lodash": "^4.17.21" } }' };

export const valid: ValidCase[] = [
  {
    name: "a connection handed to the caller's callback wrapped to run once, a duplicate callback's connection closed",
    code: `
      const _ = require('lodash');
      const amqplib = require('amqplib/callback_api');
      function connect(url, socketOptions, cb) {
        const once = _.once(cb);
        let invocations = 0;
        amqplib.connect(url, socketOptions, (err, connection) => {
          invocations++;
          if (err) return once(err);
          connection.on('error', (e) => once(e));
          if (invocations > 1) return connection.close();
          once(null, connection);
        });
      }
      module.exports = { connect };`,
    ext: '.js',
  },
  {
    name: 'channels of the callback API made with a named callback and with a callback parameter: the callbacks get them',
    code: `
      const amqplib = require('amqplib/callback_api');
      const async = require('async');
      module.exports = function Vhost(url) {
        let connection;
        this.init = (next) => amqplib.connect(url, (err, conn) => {
          if (err) return next(err);
          connection = conn;
          next();
        });
        this.createChannel = (confirm, next) => {
          if (!connection) return next(new Error('not initialised'));
          confirm ? connection.createConfirmChannel(callback) : connection.createChannel(callback);
          function callback(err, channel) {
            if (err) return next(err);
            next(null, channel);
          }
        };
        this.createChannels = (ctx, n, next) => {
          async.times(n, (index, cb) => {
            ctx.connection.createChannel(cb);
          }, next);
        };
        this.close = (next) => (connection ? connection.close(next) : next());
      };`,
    ext: '.js',
    files: AMQP_PACKAGE,
  },
  {
    name: "net.connect's connect listener tested for an error it is never given (errors come as 'error' events)",
    code: `
      const net = require('net');
      const connect = (port) => new Promise((resolve, reject) => {
        const socket = net.connect({ port }, (err) => {
          if (err) return reject(err);
          return resolve(socket);
        });
      });
      module.exports = { connect };`,
    ext: '.js',
  },
];

export const invalid: InvalidCase[] = [
  {
    name: 'a connection handed to the once-wrapped callback on success, dropped when a check of it fails',
    code: `
      const _ = require('lodash');
      const amqplib = require('amqplib/callback_api');
      function connect(url, cb) {
        const once = _.once(cb);
        amqplib.connect(url, (err, connection) => {
          if (err) return once(err);
          if (!connection.serverProperties) return once(new Error('no server properties'));
          connection.on('error', (e) => once(e));
          once(null, connection);
        });
      }
      module.exports = { connect };`,
    ext: '.js',
    errors: [{ line: 5, message: /^AMQP connection from `amqplib\/callback_api\.connect` is not closed when the `return` on line 7 is taken/ }],
  },
  {
    name: 'the bound callback gets a comparison, not the connection: nothing closes it',
    code: `
      const amqplib = require('amqplib/callback_api');
      function check(url, cb) {
        const done = cb.bind(null);
        amqplib.connect(url, (err, connection) => {
          if (err) return done(err);
          connection.createChannel((chErr, ch) => {
            if (chErr) return done(chErr);
            done(undefined, ch.connection === connection);
          });
        });
      }
      module.exports = { check };`,
    ext: '.js',
    errors: [{ line: 4, message: /is never closed; it stays open when the function ends \(line 10\)/ }],
  },
  {
    name: 'a channel of the promise API dropped where it is made (a callback parameter elsewhere in the function changes nothing)',
    code: `
      const amqplib = require('amqplib');
      async function warm(url, cb) {
        const conn = await amqplib.connect(url);
        conn.createChannel();
        cb(null, conn);
      }
      module.exports = { warm };`,
    ext: '.js',
    errors: [{ line: 4, message: /^AMQP channel from `amqplib\.connect\.createChannel` is dropped where it is created/ }],
  },
  {
    name: "net.connect's connect listener that resolves without the socket on a path of its own",
    code: `
      const net = require('net');
      const probe = (port, expectBanner) => new Promise((resolve, reject) => {
        const socket = net.connect({ port }, (err) => {
          if (err) return reject(err);
          if (!expectBanner) return resolve(null);
          return resolve(socket);
        });
      });
      module.exports = { probe };`,
    ext: '.js',
    errors: [{ line: 3 }],
  },
];
