import assert from 'node:assert/strict';
import type { IGrammar } from 'vscode-textmate';
import { loadGrammar, scopesOf, tokenize } from './tokenize';

describe('sysctl grammar', () => {
  let grammar: IGrammar;
  before(async () => {
    grammar = await loadGrammar('source.sysctl');
  });

  const SAMPLE = [
    '# TIME_WAIT tuning',
    '; legacy comment style',
    'net.ipv4.tcp_fin_timeout = 30',
    '-net/ipv4/tcp_keepalive_time=600',
    'net.ipv4.ip_local_port_range = 32768 60999',
    'net.ipv4.tcp_tw_recycle = 1',
    'kernel.domainname = example.com',
    'this is not an assignment',
  ].join('\n');

  it('scopes "#" and ";" comment lines', () => {
    const lines = tokenize(grammar, SAMPLE);
    assert.ok(lines[0].every((t) => t.scopes.includes('comment.line.number-sign.sysctl')));
    assert.ok(scopesOf(lines, 0, '#').includes('punctuation.definition.comment.sysctl'));
    // TIME_WAIT inside a comment stays a comment.
    assert.ok(lines[0].every((t) => !t.scopes.some((s) => s.startsWith('keyword'))));
    assert.ok(lines[1].every((t) => t.scopes.includes('comment.line.semicolon.sysctl')));
  });

  it('scopes the key, its separators, "=" and a numeric value', () => {
    const lines = tokenize(grammar, SAMPLE);
    assert.ok(scopesOf(lines, 2, 'net').includes('variable.other.key.sysctl'));
    assert.ok(scopesOf(lines, 2, 'tcp_fin_timeout').includes('variable.other.key.sysctl'));
    assert.ok(scopesOf(lines, 2, '.').includes('punctuation.separator.key.sysctl'));
    assert.ok(scopesOf(lines, 2, '=').includes('keyword.operator.assignment.sysctl'));
    const value = scopesOf(lines, 2, '30');
    assert.ok(value.includes('string.unquoted.value.sysctl'));
    assert.ok(value.includes('constant.numeric.sysctl'));
  });

  it('handles slash keys, no spaces around "=", and the leading "-"', () => {
    const lines = tokenize(grammar, SAMPLE);
    assert.ok(scopesOf(lines, 3, '-').includes('keyword.operator.ignore-failure.sysctl'));
    assert.ok(scopesOf(lines, 3, '/').includes('punctuation.separator.key.sysctl'));
    assert.ok(scopesOf(lines, 3, 'tcp_keepalive_time').includes('variable.other.key.sysctl'));
    assert.ok(scopesOf(lines, 3, '600').includes('constant.numeric.sysctl'));
  });

  it('scopes both numbers of a range and leaves text values unnumbered', () => {
    const lines = tokenize(grammar, SAMPLE);
    assert.ok(scopesOf(lines, 4, '32768').includes('constant.numeric.sysctl'));
    assert.ok(scopesOf(lines, 4, '60999').includes('constant.numeric.sysctl'));
    const text = scopesOf(lines, 6, 'example.com');
    assert.ok(text.includes('string.unquoted.value.sysctl'));
    assert.ok(!text.includes('constant.numeric.sysctl'));
  });

  it('marks the removed tcp_tw_recycle key and lines that are not assignments', () => {
    const lines = tokenize(grammar, SAMPLE);
    assert.ok(scopesOf(lines, 5, 'tcp_tw_recycle').includes('invalid.deprecated.removed.sysctl'));
    assert.ok(!scopesOf(lines, 2, 'tcp_fin_timeout').some((s) => s.startsWith('invalid')));
    assert.ok(lines[7][0].scopes.includes('invalid.illegal.not-an-assignment.sysctl'));
  });
});
