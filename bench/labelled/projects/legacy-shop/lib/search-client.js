'use strict';

var http = require('http');

var ES_HOST = process.env.ES_HOST || 'localhost';
var ES_PORT = Number(process.env.ES_PORT || 9200);
var agent = new http.Agent({ keepAlive: true, maxSockets: 20 });

function search(index, query, cb) {
  var payload = JSON.stringify(query);
  var req = http.request(
    {
      host: ES_HOST,
      port: ES_PORT,
      path: '/' + encodeURIComponent(index) + '/_search',
      method: 'POST',
      agent: agent,
      headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) }
    },
    function (res) {
      var body = '';
      res.setEncoding('utf8');
      res.on('data', function (chunk) { body += chunk; });
      res.on('end', function () {
        var parsed;
        try {
          parsed = JSON.parse(body);
        } catch (e) {
          return cb(new Error('bad JSON from elasticsearch (' + res.statusCode + ')'));
        }
        if (res.statusCode >= 400) return cb(new Error(parsed.error && parsed.error.reason));
        cb(null, parsed.hits.hits);
      });
    }
  );
  req.on('error', cb);
  req.end(payload);
}

module.exports = { search: search };
