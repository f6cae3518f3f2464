// unclosed-connection: a close that waits for a stream's 'end' (an ldapjs search response, a readable): a
// stream that fails emits 'error' and never 'end', so an 'error' listener that only rejects leaves the
// connection open (the quick fix adds the close to that listener); beside one whose 'error' listener
// closes too, and a one-shot script's whose 'error' listener ends the process (`process.exit(1)`), which closes everything.
import { InvalidCase, ValidCase } from '../../helpers/rule-tester';

/** An ldapjs group lookup; `onError` is the body of the search response's 'error' listener. */
function groupMembers(onError: string): string {
  return `
      import ldap from 'ldapjs';
      export function listGroupMembers(url: string, groupDn: string): Promise<string[]> {
        const client = ldap.createClient({ url: [url] });
        client.on('error', (err) => console.warn('ldap', err.message));
        return new Promise((resolve, reject) => {
          client.search(groupDn, { scope: 'base' }, (err, res) => {
            if (err) {
              client.unbind();
              reject(err);
              return;
            }
            const members: string[] = [];
            res.on('searchEntry', (entry) => members.push(entry.dn.toString()));
            res.on('error', (searchErr) => { ${onError} });
            res.on('end', () => {
              client.unbind();
              resolve(members);
            });
          });
        });
      }`;
}


/** A one-shot script reading one HTTP/2 stream, the session closed at its 'end'; `onError` is the stream's 'error' listener. */
const SCHEDULE = (onError: string) => `
      const http2 = require('node:http2');
      const session = http2.connect(process.env.SCHEDULE_ORIGIN || 'https://schedule.example');
      session.on('error', (err) => {
        console.error(err.message);
        process.exit(1);
      });
      const req = session.request({ ':path': '/v1/schedule' });
      let body = '';
      req.setEncoding('utf8');
      req.on('data', (chunk) => { body += chunk; });
      req.on('end', () => {
        session.close();
        console.log(body);
      });
      req.on('error', (err) => {
${onError}
      });
      req.end();`;

export const valid: ValidCase[] = [
  {
    name: "a one-shot script whose HTTP/2 stream's 'error' listener ends the process",
    code: SCHEDULE('        console.error(err.message);\n        process.exit(1);'),
    ext: '.js',
    file: 'scripts/schedule.js',
  },
  {
    name: "a search whose response's 'error' listener unbinds as well as its 'end' listener",
    code: groupMembers('client.unbind(); reject(searchErr);'),
  },
];

export const invalid: InvalidCase[] = [
  {
    name: "a search whose response's 'error' listener only rejects: a failed search (noSuchObject) never emits 'end', and the client stays bound",
    code: groupMembers('reject(searchErr);'),
    errors: [{ line: 3, message: /when the stream whose `end` or `finish` listener closes it fails instead \(its `error` listener on line 14 closes nothing/ }],
    output: groupMembers('reject(searchErr); client.unbind();'),
  },
  {
    name: "the same script whose stream's 'error' listener only logs: the session stays open",
    code: SCHEDULE('        console.error(err.message);\n        process.exitCode = 1;'),
    ext: '.js',
    file: 'scripts/schedule.js',
    errors: [{ line: 2, message: /is not closed when the stream whose `end` or `finish` listener closes it fails instead/ }],
  },
];
