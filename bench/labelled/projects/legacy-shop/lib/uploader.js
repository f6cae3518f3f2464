// Pre-2015 module, still loaded by the nightly export. Not strict mode (legacy octal below).
var fs = require('fs');
var path = require('path');
var http = require('http');

var EXPORT_DIR = process.env.EXPORT_DIR || '/var/exports';

function ensureDir(dir) {
  if (!fs.existsSync(dir)) fs.mkdirSync(dir, 0755);
}

function pushExport(file, host, cb) {
  ensureDir(EXPORT_DIR);
  var target = path.join(EXPORT_DIR, path.basename(file));
  fs.copyFileSync(file, target);
  fs.chmodSync(target, 0644);

  var req = http.request({ host: host, port: 8080, method: 'PUT', path: '/imports/' + path.basename(file) }, function (res) {
    if (res.statusCode !== 201 && res.statusCode !== 204) {
      return cb(new Error('import server said ' + res.statusCode));
    }
    res.resume();
    res.on('end', function () { cb(null); });
  });
  req.on('error', cb);
  fs.createReadStream(target).pipe(req);
}

module.exports = { pushExport: pushExport };
