import { strict as assert } from 'node:assert';
import { allocateWid } from '../../../kernel/watcher/wid';

describe('kernel/watcher/wid (spec 2.5)', () => {
  it('takes the smallest free wid in 1..2n', () => {
    assert.equal(allocateWid([], 2), 1);
    assert.equal(allocateWid([1, 3], 2), 2);
    assert.equal(allocateWid([1, 2], 2), 3);
    assert.equal(allocateWid([1, 2, 3, 4], 2), null);
  });

  it('reload cycles 1..n -> n+1..2n -> 1..n', () => {
    let held = [1, 2, 3, 4];
    const next: number[] = [];
    for (let i = 0; i < 4; i += 1) next.push(allocateWid([...held, ...next], 4) as number);
    assert.deepEqual(next, [5, 6, 7, 8]);
    held = next;
    const back: number[] = [];
    for (let i = 0; i < 4; i += 1) back.push(allocateWid([...held, ...back], 4) as number);
    assert.deepEqual(back, [1, 2, 3, 4]);
  });
});
