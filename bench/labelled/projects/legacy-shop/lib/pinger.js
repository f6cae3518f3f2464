'use strict';

var http = require('http');

// Checks that the payment gateway accepts new connections. A fresh connection on every
// probe is deliberate: a pooled socket would hide a listener that stopped accepting.
function probeGateway(host, port, cb) {
  var req = http.get(
    { host: host, port: port, path: '/ping', agent: false, timeout: 2000 },
    function (res) {
      res.resume();
      cb(res.statusCode === 200);
    }
  );
  req.on('timeout', function () { req.destroy(); });
  req.on('error', function () { cb(false); });
}

function watchGateway(host, port, onChange) {
  var last = null;
  setInterval(function () {
    probeGateway(host, port, function (ok) {
      if (ok !== last) onChange(ok);
      last = ok;
    });
  }, 30000).unref();
}

module.exports = { watchGateway: watchGateway };
