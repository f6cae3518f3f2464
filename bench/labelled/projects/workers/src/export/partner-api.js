'use strict';

const axios = require('axios');

const api = axios.create({ baseURL: process.env.PARTNER_API, timeout: 15000 });

async function fetchOrders(since) {
  const res = await api.get('/orders', { params: { since }, validateStatus: () => true });
  if (res.status === 404) return [];
  if (res.status !== 200) throw new Error(`partner API ${res.status}`);
  return res.data.orders;
}

module.exports = { fetchOrders };
