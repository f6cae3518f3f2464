'use strict';

var express = require('express');
var http = require('http');
var products = require('./lib/products');
var checkout = require('./lib/checkout');
var admin = require('./routes/admin');
var pinger = require('./lib/pinger');

var app = express();
app.use(express.json());

var LEGACY_HOST = process.env.LEGACY_HOST || 'legacy-backend';

app.get('/categories/:id/products', function (req, res, next) {
  products.listByCategory(req.params.id, function (err, rows) {
    if (err) return next(err);
    res.json(rows);
  });
});

app.post('/carts/:id/checkout', function (req, res, next) {
  checkout.checkout(req.params.id, req.body.userId, function (err, result) {
    if (err) return next(err);
    res.status(201).json(result);
  });
});

// Everything we have not ported yet still goes to the old PHP backend.
app.use('/legacy', function (req, res) {
  var upstream = http.request(
    {
      host: LEGACY_HOST,
      port: 80,
      method: req.method,
      path: req.originalUrl.replace(/^\/legacy/, ''),
      headers: req.headers,
      agent: false
    },
    function (ures) {
      res.writeHead(ures.statusCode, ures.headers);
      ures.pipe(res);
    }
  );
  upstream.on('error', function () { res.sendStatus(502); });
  req.pipe(upstream);
});

app.use('/admin', admin);

pinger.watchGateway(process.env.GATEWAY_HOST || 'gateway', 443, function (ok) {
  console.log('payment gateway ' + (ok ? 'up' : 'DOWN'));
});

app.listen(process.env.PORT || 8080);
