// connection-churn: how often the code runs decides whether new connections pile up in TIME_WAIT.
import { InvalidCase, ValidCase } from '../../helpers/rule-tester';

export const valid: ValidCase[] = [
  {
    name: 'agent: false in a probe run every 30 s by a timer',
    code: `
      var http = require('http');
      function probe(host, cb) {
        var req = http.get({ host: host, path: '/ping', agent: false }, function (res) {
          res.resume();
          cb(res.statusCode === 200);
        });
        req.on('error', function () { cb(false); });
      }
      function watch(host, onChange) {
        setInterval(function () { probe(host, onChange); }, 30 * 1000);
      }
      module.exports = { watch: watch };`,
    ext: '.js',
  },
];

export const invalid: InvalidCase[] = [
  {
    name: 'agent: false in a probe that is also exported for any caller',
    code: `
      var http = require('http');
      function probe(host, cb) {
        http.get({ host: host, path: '/ping', agent: false }, function (res) {
          res.resume();
          cb(res.statusCode === 200);
        });
      }
      setInterval(function () { probe('a', function () {}); }, 30000);
      module.exports = { probe: probe };`,
    ext: '.js',
    errors: [{ line: 3, messageId: 'agentFalse' }],
  },
  {
    name: 'agent: false in a timer that fires every 10 ms',
    code: `
      var http = require('http');
      setInterval(function () {
        http.get({ host: 'a', path: '/ping', agent: false }, function (res) { res.resume(); });
      }, 10);`,
    ext: '.js',
    errors: [{ line: 3, messageId: 'agentFalse' }],
  },
];
