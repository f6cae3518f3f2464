import assert from 'node:assert/strict';
import type { IGrammar } from 'vscode-textmate';
import { fixture } from '../sockets/helpers';
import { loadGrammar, scopesOf, tokenize, type Token } from './tokenize';

const CLOSE_WAIT = 'keyword.other.state.close-wait.socket-states';
const TIME_WAIT = 'keyword.other.state.time-wait.socket-states';

describe('socket-states grammar', () => {
  let grammar: IGrammar;
  before(async () => {
    grammar = await loadGrammar('source.socket-states');
  });

  const lines = (text: string): Token[][] => tokenize(grammar, text);
  const stateTokens = (tokens: Token[][], scope: string) => tokens.flat().filter((t) => t.scopes.includes(scope));

  it('marks CLOSE-WAIT and TIME-WAIT in ss -tan output, and nothing else as those states', () => {
    const tokens = lines(fixture('ss-tan.txt'));
    assert.deepEqual(stateTokens(tokens, CLOSE_WAIT).map((t) => t.text), ['CLOSE-WAIT', 'CLOSE-WAIT', 'CLOSE-WAIT']);
    assert.equal(stateTokens(tokens, TIME_WAIT).length, 8);
    assert.ok(stateTokens(tokens, TIME_WAIT).every((t) => t.text === 'TIME-WAIT'));
  });

  it('gives CLOSE_WAIT a scope themes colour as an error, and TIME_WAIT a distinct one', () => {
    const tokens = lines('tcp4       0      0  127.0.0.1.8080         127.0.0.1.51234        CLOSE_WAIT \ntcp4       0      0  127.0.0.1.51240        127.0.0.1.9090         TIME_WAIT  ');
    const closeWait = scopesOf(tokens, 0, 'CLOSE_WAIT');
    assert.ok(closeWait.includes(CLOSE_WAIT));
    // The innermost scope decides the colour: invalid.* is red in the default themes.
    assert.match(closeWait[closeWait.length - 1], /^invalid\.illegal\./);
    const timeWait = scopesOf(tokens, 1, 'TIME_WAIT');
    assert.ok(timeWait.includes(TIME_WAIT));
    assert.ok(!timeWait.includes(CLOSE_WAIT));
  });

  it('does not read CLOSE-WAIT as the CLOSE state followed by text', () => {
    const tokens = lines('CLOSE-WAIT 1      0          127.0.0.1:8080    127.0.0.1:45656');
    assert.ok(!tokens[0].some((t) => t.scopes.includes('keyword.other.state.closed.socket-states')));
    assert.ok(scopesOf(tokens, 0, 'CLOSE-WAIT').includes(CLOSE_WAIT));
  });

  it('scopes other states by name (ESTAB, LISTENING, FIN_WAIT_2, SYN_RCVD)', () => {
    const tokens = lines('ESTAB 0 0 a b\n  TCP    0.0.0.0:135            0.0.0.0:0              LISTENING\ntcp4 0 0 127.0.0.1.51234 127.0.0.1.8080 FIN_WAIT_2\ntcp4 0 0 127.0.0.1.5432 127.0.0.1.51270 SYN_RCVD');
    assert.ok(scopesOf(tokens, 0, 'ESTAB').includes('keyword.other.state.established.socket-states'));
    assert.ok(scopesOf(tokens, 1, 'LISTENING').includes('keyword.other.state.listen.socket-states'));
    assert.ok(scopesOf(tokens, 2, 'FIN_WAIT_2').includes('keyword.other.state.fin-wait2.socket-states'));
    assert.ok(scopesOf(tokens, 3, 'SYN_RCVD').includes('keyword.other.state.syn-recv.socket-states'));
  });

  it('reads the st column of /proc/net/tcp: 08 is CLOSE_WAIT, 06 is TIME_WAIT', () => {
    const tokens = lines(fixture('proc-net-tcp6.txt'));
    // Row 3 is a CLOSE_WAIT (08) row, row 2 a TIME_WAIT (06) row; line 0 is the header.
    assert.ok(scopesOf(tokens, 4, '08').includes(CLOSE_WAIT));
    assert.ok(scopesOf(tokens, 3, '06').includes(TIME_WAIT));
    assert.ok(scopesOf(tokens, 1, '0A').includes('keyword.other.state.listen.socket-states'));
    assert.ok(scopesOf(tokens, 4, '0000000000000000FFFF00000100007F').includes('constant.other.address.hex.socket-states'));
    assert.ok(scopesOf(tokens, 4, '1F90').includes('constant.numeric.port.hex.socket-states'));
    assert.ok(scopesOf(tokens, 0, tokens[0][0].text)[1].startsWith('comment.line.header'));
    const all = tokens.flat();
    assert.equal(all.filter((t) => t.scopes.includes(CLOSE_WAIT)).length, 3);
    assert.equal(all.filter((t) => t.scopes.includes(TIME_WAIT)).length, 3);
  });

  it('does not take a 08 outside the st column for CLOSE_WAIT', () => {
    const tokens = lines('   7: 0100007F:800C 0100007F:1F90 05 00000000:00000000 00:00000000 00000008     0        0 8564 1 0 20 0 0 11 -1');
    assert.equal(tokens.flat().filter((t) => t.scopes.includes(CLOSE_WAIT)).length, 0);
    assert.ok(scopesOf(tokens, 0, '05').includes('keyword.other.state.fin-wait2.socket-states'));
  });

  it('splits addresses and ports in every notation', () => {
    const cases: Array<[string, string, string]> = [
      ['CLOSE-WAIT 0 0 [::ffff:127.0.0.1]:8080 [::ffff:127.0.0.1]:32786', '::ffff:127.0.0.1', '8080'],
      ['tcp4 0 0 127.0.0.1.8080 127.0.0.1.51234 CLOSE_WAIT', '127.0.0.1', '8080'],
      ['  TCP    127.0.0.1:8080         127.0.0.1:51234        CLOSE_WAIT', '127.0.0.1', '8080'],
      ['tcp6 0 0 ::1.9091 *.* LISTEN', '::1', '9091'],
      ['tcp6       0      0 ::1:54008               ::1:45825               TIME_WAIT', '::1', '54008'],
    ];
    for (const [line, address, port] of cases) {
      const tokens = lines(line);
      assert.ok(scopesOf(tokens, 0, address).some((s) => s.startsWith('constant.other.address')), line);
      assert.ok(scopesOf(tokens, 0, port).includes('constant.numeric.port.socket-states'), line);
    }
    assert.ok(scopesOf(lines('LISTEN 0 511 *:8080 *:*'), 0, '*').includes('constant.language.wildcard.socket-states'));
  });

  it('highlights the CLI text output: direction, port, owner, code and the ▲ marker', () => {
    const tokens = lines('--- 2026-01-01T00:00:00.000Z (every 2 s, Ctrl-C to stop) ---\ninbound  :8080  CLOSE_WAIT 340 ▲+12  TIME_WAIT 0  ESTABLISHED 3  node(123)  src/server.ts:12');
    assert.ok(tokens[0][0].scopes.includes('markup.heading.watch.socket-states'));
    assert.ok(scopesOf(tokens, 1, 'inbound').includes('storage.modifier.direction.socket-states'));
    assert.ok(scopesOf(tokens, 1, '8080').includes('constant.numeric.port.socket-states'));
    assert.ok(scopesOf(tokens, 1, 'CLOSE_WAIT').includes(CLOSE_WAIT));
    assert.ok(scopesOf(tokens, 1, 'TIME_WAIT').includes(TIME_WAIT));
    assert.ok(scopesOf(tokens, 1, '▲').includes('markup.bold.growth.socket-states'));
    assert.ok(scopesOf(tokens, 1, 'node').includes('entity.name.function.process.socket-states'));
    assert.ok(scopesOf(tokens, 1, '123').includes('constant.numeric.pid.socket-states'));
    assert.ok(scopesOf(tokens, 1, 'src/server.ts').includes('string.unquoted.path.socket-states'));
    assert.ok(scopesOf(tokens, 1, '340').includes('constant.numeric.socket-states'));
  });

  it('tokenizes every captured dump without leaving a state word unscoped', () => {
    const names = ['ss-tan.txt', 'ss-tanp.txt', 'netstat-linux-tan.txt', 'netstat-macos-an.txt', 'netstat-windows-an.txt', 'netstat-windows-ano.txt'];
    for (const name of names) {
      const tokens = lines(fixture(name).replace(/\r/g, ''));
      for (const token of tokens.flat()) {
        if (/^(CLOSE[-_]WAIT|TIME[-_]WAIT|ESTAB(LISHED)?|LISTEN(ING)?)$/.test(token.text.trim())) {
          assert.ok(token.scopes.some((s) => s.startsWith('keyword.other.state.')), `${name}: ${token.text}`);
        }
      }
      const count = tokens.flat().filter((t) => t.scopes.includes(CLOSE_WAIT)).length;
      assert.equal(count, (fixture(name).match(/CLOSE[-_]WAIT/g) ?? []).length, name);
    }
  });
});
