// unconsumed-response: a response callback run from the request's 'response' event, whose `throw` is
// an uncaught exception that ends the process (no path on which the body is left unread), beside the
// look-alikes that leave it unread: a `return`, and an async callback's throw (an unhandled rejection).
import { InvalidCase, ValidCase } from '../../helpers/rule-tester';

export const invalid: InvalidCase[] = [
  {
    name: "a response callback whose bad status returns without reading (a return, not an uncaught throw)",
    code: `
      const https = require('https');
      https.get({ host: 'ifconfig.me', path: '/' }, (res) => {
        if (res.statusCode !== 200) return console.error('proxy not working');
        res.pipe(process.stdout);
      });`,
    ext: '.js',
    errors: [{ line: 2 }],
  },
  {
    name: "an async response callback that throws on a bad status: an unhandled rejection, which a server may survive",
    code: `
      const https = require('https');
      https.get({ host: 'ifconfig.me', path: '/' }, async (res) => {
        if (res.statusCode !== 200) throw new Error('proxy not working');
        res.pipe(process.stdout);
      });`,
    ext: '.js',
    errors: [{ line: 2 }],
  },
];

export const valid: ValidCase[] = [
  {
    name: "a response callback that throws on a bad status: an uncaught exception ends the process",
    code: `
      const https = require('https');
      https.get({ host: 'ifconfig.me', path: '/' }, (res) => {
        if (res.statusCode !== 200) throw new Error('proxy not working');
        res.pipe(process.stdout);
      });`,
    ext: '.js',
  },
];
