// unclosed-connection: ldapjs servers (`ldap.createServer()`), bound by `listen()` and closed by `close()`,
// given their handlers by `search()`, `bind()`…: a directory double a test hook starts and nothing closes,
// beside the same double closed after the suite and a directory service that runs for the process.
import { InvalidCase, ValidCase } from '../../helpers/rule-tester';

/** A mocha suite whose before() starts a fake directory on line 10; `after` is the after hook's body. */
function directorySuite(after: string): string {
  return `
      const ldap = require('ldapjs');
      const { expect } = require('chai');
      function mount(server) {
        server.bind('dc=corp', (req, res, next) => { res.end(); next(); });
        server.search('ou=people,dc=corp', (req, res, next) => { res.end(); next(); });
      }
      describe('login', () => {
        let directory;
        before(async () => {
          directory = ldap.createServer();
          mount(directory);
          await new Promise((resolve) => directory.listen(13890, '127.0.0.1', resolve));
        });
        after(async () => {
${after}
        });
        it('binds', () => {
          expect(directory.url).to.match(/^ldap:/);
        });
      });`;
}

export const invalid: InvalidCase[] = [
  {
    name: "a fake directory a test hook starts, whose after hook closes something else",
    code: directorySuite('          await Promise.resolve();'),
    file: 'test/login.test.js',
    errors: [{ line: 10, message: /server from `ldapjs.createServer` that a test hook keeps in `directory`/ }],
  },
];

export const valid: ValidCase[] = [
  {
    name: 'the same fake directory, closed by the after hook',
    code: directorySuite('          directory.close();'),
    file: 'test/login.test.js',
  },
  {
    name: "a directory service's main(), whose server gets its handlers from search() and runs for the process",
    code: `
      const ldap = require('ldapjs');
      function main() {
        const server = ldap.createServer();
        server.search('o=example', (req, res, next) => {
          res.send({ dn: req.dn.toString(), attributes: { o: 'example' } });
          res.end();
          return next();
        });
        server.listen(1389, () => console.log('LDAP server listening at %s', server.url));
      }
      main();`,
    ext: '.js',
  },
  {
    name: 'a server made and never listened on: it binds no port',
    code: `
      const ldap = require('ldapjs');
      function describeServer() {
        const server = ldap.createServer();
        return typeof server.listen;
      }
      module.exports = { describeServer };`,
    ext: '.js',
  },
];
