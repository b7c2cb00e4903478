import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { fnmatch, glob } from '../../../config';
import { TempDir } from './helpers';

describe('config/glob: Python fnmatch and glob rules (spec/daemon.md 1.3, 1.8)', () => {
  it('matches `*`, `?` and `[...]` like fnmatch, case-sensitively', () => {
    assert.ok(fnmatch('watcher1', 'wat*'));
    assert.ok(fnmatch('web-1', 'web-?'));
    assert.ok(fnmatch('b', '[abc]'));
    assert.ok(fnmatch('d', '[!abc]'));
    assert.ok(fnmatch('x', '[a-z]'));
    assert.ok(!fnmatch('Web', 'web'));
    assert.ok(!fnmatch('web', 'web?'));
  });

  it('treats a `]` right after `[` as a member and an unclosed `[` as a literal', () => {
    assert.ok(fnmatch(']', '[]]'));
    assert.ok(fnmatch('[x', '[x'));
  });

  it('escapes regular-expression characters of the pattern', () => {
    assert.ok(fnmatch('a.b(c)+', 'a.b(c)+'));
    assert.ok(!fnmatch('aXb', 'a.b'));
  });

  describe('glob', () => {
    const tmp = new TempDir();
    before(() => {
      for (const f of ['b.ini', 'a.ini', 'c.txt', '.hidden.ini', 'sub/x.ini', 'sub2/y.ini']) tmp.write(f, '');
    });
    after(() => tmp.cleanup());

    it('returns the matches of one segment sorted, skipping hidden files', () => {
      assert.deepStrictEqual(glob(path.join(tmp.dir, '*.ini')), [path.join(tmp.dir, 'a.ini'), path.join(tmp.dir, 'b.ini')]);
    });

    it('matches hidden files when the segment pattern starts with a dot', () => {
      assert.deepStrictEqual(glob(path.join(tmp.dir, '.*.ini')), [path.join(tmp.dir, '.hidden.ini')]);
    });

    it('expands wildcards in directory segments too', () => {
      assert.deepStrictEqual(glob(path.join(tmp.dir, 'sub*', '*.ini')), [
        path.join(tmp.dir, 'sub', 'x.ini'),
        path.join(tmp.dir, 'sub2', 'y.ini'),
      ]);
    });

    it('gives `**` no special meaning (it matches one segment, like `*`)', () => {
      assert.deepStrictEqual(glob(path.join(tmp.dir, '**', 'x.ini')), [path.join(tmp.dir, 'sub', 'x.ini')]);
    });

    it('returns a literal path only when it exists, and nothing for no match', () => {
      assert.deepStrictEqual(glob(path.join(tmp.dir, 'c.txt')), [path.join(tmp.dir, 'c.txt')]);
      assert.deepStrictEqual(glob(path.join(tmp.dir, 'nope.ini')), []);
      assert.deepStrictEqual(glob(path.join(tmp.dir, 'nope', '*.ini')), []);
    });

    it('keeps a relative pattern relative', () => {
      const cwd = process.cwd();
      try {
        process.chdir(tmp.dir);
        assert.deepStrictEqual(glob('sub/*.ini'), ['sub/x.ini']);
      } finally {
        process.chdir(cwd);
      }
      assert.ok(fs.existsSync(cwd));
    });
  });
});
