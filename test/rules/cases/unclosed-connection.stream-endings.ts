// unclosed-connection: a close that waits for a stream's 'end' (an ldapjs search response, a readable): a
// stream that fails emits 'error' and never 'end', so an 'error' listener that only rejects leaves the
// connection open (the quick fix adds the close to that listener); beside one whose 'error' listener
// closes too.
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

export const valid: ValidCase[] = [
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
];
