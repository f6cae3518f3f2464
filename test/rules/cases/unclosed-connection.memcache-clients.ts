// unclosed-connection: memjs clients (`memjs.Client.create(servers)`), whose first command opens a socket
// to each server that stays open, keeping the process alive, until `close()` or `quit()`.
import { InvalidCase, ValidCase } from '../../helpers/rule-tester';

/** A cron job's sweep over memcached keys with memjs; `tail` ends the function. */
function sweep(early: string, tail: string): string {
  return `
      import memjs from 'memjs';
      export async function sweepRooms(servers: string): Promise<number> {
        const client = memjs.Client.create(servers, { timeout: 2 });
${early}
        const listed = await client.get('presence:rooms');
        if (!listed) return 0;
        let pruned = 0;
        for (const room of JSON.parse(listed.value!.toString()) as string[]) {
          const entry = await client.get('presence:' + room);
          if (!entry) { await client.delete('presence:idx:' + room); pruned++; }
        }
${tail}
      }`;
}

export const invalid: InvalidCase[] = [
  {
    name: 'a sweep that returns early when no room is listed, after its first get() opened the socket',
    code: sweep('', '        client.close();\n        return pruned;'),
    errors: [{ line: 3, message: /^Memcached client from `memjs.Client.create` is not closed when the `return` on line 6 is taken/ }],
  },
  {
    name: 'a CommonJS check of a key through a memjs client that never closes it',
    code: `
      const { Client } = require('memjs');
      async function isLocked(servers, key) {
        const mc = Client.create(servers);
        const { value } = await mc.get('lock:' + key);
        return value !== null;
      }
      module.exports = { isLocked };`,
    ext: '.js',
    errors: [{ line: 3, message: /^Memcached client from `memjs.Client.create` is never closed; it stays open when the `return` on line 5 is taken/ }],
  },
];

export const valid: ValidCase[] = [
  {
    name: 'the same sweep, closing the client in a finally',
    code: sweep('        try {', '        return pruned;\n        } finally {\n          client.quit();\n        }'),
  },
  {
    name: 'a sweep that returns before any command: the client has opened no socket yet',
    code: `
      import memjs from 'memjs';
      export async function warm(servers: string, keys: string[]): Promise<void> {
        const client = memjs.Client.create(servers);
        if (keys.length === 0) return;
        try {
          for (const k of keys) await client.set(k, 'x', { expires: 60 });
        } finally {
          client.close();
        }
      }`,
  },
  {
    name: "a module's one memjs client, shared by its functions for the process's life",
    code: `
      import memjs from 'memjs';
      const cache = memjs.Client.create(process.env.MEMCACHE_SERVERS);
      export async function cached(key: string): Promise<string | null> {
        const hit = await cache.get(key);
        return hit?.value ? hit.value.toString() : null;
      }`,
  },
];
