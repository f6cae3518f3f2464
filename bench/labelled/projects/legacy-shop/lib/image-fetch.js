'use strict';

var https = require('https');
var fs = require('fs');

/**
 * Downloads a supplier's product image unless our cached copy is current.
 * cb(err, pathOrNull)
 */
function refreshImage(url, dest, etag, cb) {
  var headers = etag ? { 'if-none-match': etag } : {};
  https.get(url, { headers: headers }, function (res) {
    if (res.statusCode === 304) return cb(null, null);
    if (res.statusCode !== 200) return cb(new Error('image ' + url + ': HTTP ' + res.statusCode));
    var out = fs.createWriteStream(dest);
    res.pipe(out);
    out.on('finish', function () { cb(null, dest); });
    out.on('error', cb);
  }).on('error', cb);
}

module.exports = refreshImage;
