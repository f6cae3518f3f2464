// unclosed-connection: servers handed to supertest's request(). Given an app function or a server that
// is not listening, supertest listens itself and closes that server when the request ends; given one
// that is already listening (`request(app.listen())`), it closes nothing.
import { InvalidCase, ValidCase } from '../../helpers/rule-tester';

export const invalid: InvalidCase[] = [
  {
    name: 'a listening server created inside request(): supertest does not close it',
    code: `
      const express = require('express');
      const request = require('supertest');
      it('404s unknown paths', (done) => {
        const app = express();
        request(app.listen()).get('/nope').expect(404, done);
      });`,
    ext: '.js',
    file: 'test/routes.test.js',
    errors: [{ line: 5, message: /dropped where it is created/ }],
  },
  {
    name: 'a listening server kept in a variable and handed to request(), never closed',
    code: `
      import express from 'express';
      import request from 'supertest';
      it('answers', async () => {
        const server = express().listen(0);
        await request(server).get('/').expect(404);
      });`,
    file: 'test/answers.test.ts',
    errors: [{ line: 4, message: /never closed/ }],
  },
  {
    name: "the project framework's own listen() (a method returning http.createServer(…).listen()) handed to request()",
    code: `
      const http = require('http');
      const request = require('supertest');
      class Server {
        handle(req, res) { res.end('ok'); }
        listen(...args) { return http.createServer(this.handle.bind(this)).listen(...args); }
      }
      it('404s unknown paths', async () => {
        const server = new Server();
        await request(server.listen()).get('/nope').expect(404);
      });`,
    ext: '.js',
    file: 'test/server.test.js',
    errors: [{ line: 9, message: /dropped where it is created/ }],
  },
];

export const valid: ValidCase[] = [
  {
    name: 'supertest given the app, or a server that is not listening: it listens and closes by itself; a listening one closed by the test',
    code: `
      import http from 'node:http';
      import express from 'express';
      import request from 'supertest';
      it('answers', async () => {
        const app = express();
        await request(app).get('/').expect(404);
        await request(http.createServer(app)).get('/').expect(404);
        const server = app.listen(0);
        await request(server).get('/').expect(404);
        server.close();
      });`,
    file: 'test/answers.test.ts',
  },
];
