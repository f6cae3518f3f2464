// The words "Linger: Trace a Command…" makes of what the user typed, and what it refuses.
import * as assert from 'node:assert/strict';
import { commandProblem, splitCommand } from '../../client/src/commandLine';

describe('trace: the command line typed in VS Code', () => {
  it('splits on spaces; quotes group; nothing else is special', () => {
    assert.deepEqual(splitCommand('  node   server.js --port 8080 '), ['node', 'server.js', '--port', '8080']);
    assert.deepEqual(splitCommand(`npx tsx "src/my app.ts" 'a b' "say \\"hi\\""`), ['npx', 'tsx', 'src/my app.ts', 'a b', 'say "hi"']);
    assert.deepEqual(splitCommand('FOO=1 node x.js | tee log'), ['FOO=1', 'node', 'x.js', '|', 'tee', 'log']);
    assert.deepEqual(splitCommand('   '), []);
  });

  it('says what needs a shell', () => {
    assert.equal(commandProblem(splitCommand('node server.js')), undefined);
    assert.equal(commandProblem(splitCommand('env FOO=1 node server.js')), undefined);
    assert.match(commandProblem(splitCommand('FOO=1 node x.js'))!, /Variable assignments need a shell/);
    assert.match(commandProblem(splitCommand('node x.js | tee log'))!, /need a shell/);
    assert.match(commandProblem(splitCommand('npm run build && npm start'))!, /need a shell/);
    assert.equal(commandProblem([]), 'Type the command to trace');
  });
});
