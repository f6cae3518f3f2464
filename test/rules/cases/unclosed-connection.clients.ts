// unclosed-connection: connections other than a net.Socket or a server, left open on some path:
// database and cache clients (pg, mysql2, ioredis, MongoDB), WebSocket and socket.io clients, an
// undici Client, an http2 session, an HTTP agent or a UDP socket made per call.
import { InvalidCase } from '../../helpers/rule-tester';

export const invalid: InvalidCase[] = [
  {
    name: 'pg client: query rejection skips end()',
    code: `
      import { Client } from 'pg';
      export async function count() {
        const client = new Client();
        await client.connect();
        const r = await client.query('select count(*) from t');
        await client.end();
        return r.rows[0].count;
      }`,
    errors: [{ line: 3 }],
  },
  {
    name: 'ws WebSocket not closed on the error branch',
    code: `
      import WebSocket from 'ws';
      export async function hello(url: string, ready: () => Promise<boolean>) {
        const ws = new WebSocket(url);
        if (!(await ready())) {
          return;
        }
        ws.send('hi');
        ws.close();
      }`,
    errors: [{ line: 3 }],
  },
  {
    name: 'undici Client created per call and never closed',
    code: `
      import { Client } from 'undici';
      export async function get(origin: string) {
        const client = new Client(origin);
        const { body } = await client.request({ path: '/', method: 'GET' });
        return body.text();
      }`,
    errors: [{ line: 3, messageId: 'never' }],
  },
  {
    name: 'mysql2 connection not ended when the query throws',
    code: `
      import mysql from 'mysql2/promise';
      export async function rows() {
        const conn = await mysql.createConnection({ host: 'db' });
        const [r] = await conn.query('select 1');
        await conn.end();
        return r;
      }`,
    errors: [{ line: 3 }],
  },
  {
    name: 'ioredis client never quit',
    code: `
      const Redis = require('ioredis');
      async function get(key) {
        const redis = new Redis();
        return await redis.get(key);
      }`,
    ext: '.js',
    errors: [{ line: 3, messageId: 'never' }],
  },
  {
    name: 'MongoClient not closed when the insert throws',
    code: `
      import { MongoClient } from 'mongodb';
      export async function save(doc: object) {
        const client = new MongoClient('mongodb://localhost');
        await client.connect();
        await client.db('a').collection('b').insertOne(doc);
        await client.close();
      }`,
    errors: [{ line: 3 }],
  },
  {
    name: 'socket.io client not disconnected on early exit',
    code: `
      import { io } from 'socket.io-client';
      export function join(room: string) {
        const socket = io('http://localhost:3000');
        if (!room) return null;
        socket.emit('join', room);
        socket.disconnect();
        return room;
      }`,
    errors: [{ line: 3 }],
  },
  {
    name: 'an agent made per call serves one request and is never destroyed',
    code: `
      import * as https from 'https';
      export function get(url: string) {
        const agent = new https.Agent({ keepAlive: true });
        return new Promise((resolve) => https.get(url, { agent }, resolve));
      }`,
    errors: [{ line: 3, messageId: 'never' }],
  },
  {
    name: 'a UDP socket made per call to send one datagram and never closed',
    code: `
      import * as dgram from 'dgram';
      export function notify(msg: string) {
        const sock = dgram.createSocket('udp4');
        sock.send(msg, 8125, 'localhost');
      }`,
    errors: [{ line: 3, messageId: 'never' }],
  },
  {
    name: 'http2 session not closed when the request fails',
    code: `
      import * as http2 from 'http2';
      export async function get(origin: string, send: (s: http2.ClientHttp2Session) => Promise<string>) {
        const session = http2.connect(origin);
        const body = await send(session);
        session.close();
        return body;
      }`,
    errors: [{ line: 3 }],
  },
];
