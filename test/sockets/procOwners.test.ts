import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findSocketOwners } from '../../server/src/sockets/procOwners';
import { nodeSystem, type SystemAccess } from '../../server/src/sockets/system';

describe('socket owners from /proc/<pid>/fd', () => {
  let root: string;

  // A miniature /proc: dangling symlinks are fine, only their text (socket:[N]) is read.
  before(() => {
    root = mkdtempSync(join(tmpdir(), 'linger-proc-'));
    const proc = (pid: string, comm: string | null, fds: Record<string, string>) => {
      mkdirSync(join(root, pid, 'fd'), { recursive: true });
      if (comm !== null) writeFileSync(join(root, pid, 'comm'), `${comm}\n`);
      for (const [fd, target] of Object.entries(fds)) symlinkSync(target, join(root, pid, 'fd', fd));
    };
    proc('123', 'node', { '0': '/dev/null', '3': 'socket:[555]', '4': 'pipe:[556]' });
    proc('456', 'nginx', { '7': 'socket:[777]', '8': 'socket:[555]' });
    proc('789', null, { '1': 'socket:[888]' });
    mkdirSync(join(root, 'self'));
    mkdirSync(join(root, '999')); // exited: no fd directory left
  });

  after(() => rmSync(root, { recursive: true, force: true }));

  it('maps the requested inodes to the first process holding them, with its command', async () => {
    const owners = await findSocketOwners(new Set([555, 777, 888, 12345]), nodeSystem, root);
    assert.equal(owners.pidByInode.get(555), 123);
    assert.equal(owners.pidByInode.get(777), 456);
    assert.equal(owners.pidByInode.get(888), 789);
    assert.equal(owners.pidByInode.has(12345), false);
    assert.equal(owners.commands.get(123), 'node');
    assert.equal(owners.commands.get(456), 'nginx');
    assert.equal(owners.commands.get(789), '?'); // comm unreadable
    assert.equal(owners.unreadable, 0); // a process that exited is not "unreadable"
  });

  it('does not name processes that hold none of the requested sockets', async () => {
    const owners = await findSocketOwners(new Set([777]), nodeSystem, root);
    assert.deepEqual([...owners.commands.keys()], [456]);
  });

  it('counts processes whose fd directory is refused', async () => {
    const denying: SystemAccess = {
      ...nodeSystem,
      readdir: async (path) => {
        if (path.endsWith('/456/fd')) throw Object.assign(new Error('EACCES'), { code: 'EACCES' });
        return nodeSystem.readdir(path);
      },
    };
    const owners = await findSocketOwners(new Set([777]), denying, root);
    assert.equal(owners.unreadable, 1);
    assert.equal(owners.pidByInode.has(777), false);
  });
});
