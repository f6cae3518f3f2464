// unconsumed-response: fixes for fetch implementations whose body is no web stream. node-fetch's body is
// a Node stream (no `cancel()`: the call would throw a TypeError), drained with `resume()`;
// cross-fetch and isomorphic-fetch are node-fetch in Node and the browser's fetch in a page, where only
// the Response's own methods work in both.
import { InvalidCase } from '../../helpers/rule-tester';

export const invalid: InvalidCase[] = [
  {
    name: 'a node-fetch response dropped on a non-2xx: the fix drains its Node stream body',
    code: `
      const fetch = require('node-fetch')
      async function lookup(url) {
        try {
          const response = await fetch(url)
          if (!response.ok) {
            return []
          }
          const { producers } = await response.json()
          return producers
        } catch (e) {
          return []
        }
      }
      module.exports = { lookup }`,
    ext: '.js',
    errors: [{ line: 4 }],
    fixes: ['safe: Consume or cancel `response` before the leaking exit'],
    output: `
      const fetch = require('node-fetch')
      async function lookup(url) {
        try {
          const response = await fetch(url)
          if (!response.ok) {
            response.body.resume();
            return []
          }
          const { producers } = await response.json()
          return producers
        } catch (e) {
          return []
        }
      }
      module.exports = { lookup }`,
  },
  {
    name: 'a node-fetch response awaited as a statement, in a file without semicolons: discarded with resume(), no ASI hazard',
    code: `
      import fetch from 'node-fetch'
      export async function ping(url: string) {
        console.log('ping', url)
        await fetch(url)
        return true
      }`,
    errors: [{ line: 4 }],
    fixes: ['safe: Discard the body with `body.resume()`'],
    output: `
      import fetch from 'node-fetch'
      export async function ping(url: string) {
        console.log('ping', url)
        void (await fetch(url)).body.resume()
        return true
      }`,
  },
  {
    name: 'a cross-fetch response dropped on a non-2xx: the fix reads it with text(), which works in Node and in a page',
    code: `
      import fetch from 'cross-fetch';
      export async function getUser(id: string) {
        const res = await fetch('https://users.example.com/users/' + id);
        if (!res.ok) return null;
        return res.json();
      }`,
    errors: [{ line: 3 }],
    output: `
      import fetch from 'cross-fetch';
      export async function getUser(id: string) {
        const res = await fetch('https://users.example.com/users/' + id);
        if (!res.ok) { await res.text(); return null; }
        return res.json();
      }`,
  },
  {
    name: "undici's own fetch dropped as a statement: its Response has a web stream body, cancelled (no dump(), which only undici.request's body has)",
    code: `
      import { fetch } from 'undici';
      export async function ping(url: string) {
        await fetch(url);
        return true;
      }`,
    errors: [{ line: 3 }],
    fixes: ['safe: Cancel the unread body with `body?.cancel()`'],
    output: `
      import { fetch } from 'undici';
      export async function ping(url: string) {
        await (await fetch(url)).body?.cancel();
        return true;
      }`,
  },
];
