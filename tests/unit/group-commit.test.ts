import { describe, expect, it } from 'vitest';
import { groupCommit } from '@/lib/platform/group-commit';

/** A run whose rounds finish only when the test says, recording what each round held. */
function controlledRun(options: { failWhen?: (items: number[]) => boolean } = {}) {
  const rounds: { key: string; items: number[]; finish: () => void }[] = [];
  const run = (key: string, items: number[]) =>
    new Promise<string[]>((resolve, reject) => {
      rounds.push({
        key,
        items,
        finish: () => (options.failWhen?.(items) ? reject(new Error(`round ${items.join(',')} failed`)) : resolve(items.map((item) => `${key}:${item}`))),
      });
    });
  return { rounds, run };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('groupCommit', () => {
  it('runs a lone caller at once, and takes everyone who came meanwhile in the next round', async () => {
    const { rounds, run } = controlledRun();
    const commit = groupCommit(run, { maxWeight: 100, weight: () => 1 });
    const first = commit('a', 1);
    expect(rounds.map((round) => round.items)).toEqual([[1]]);
    const later = [commit('a', 2), commit('a', 3), commit('a', 4)];
    await settle();
    expect(rounds).toHaveLength(1);
    rounds[0]!.finish();
    expect(await first).toBe('a:1');
    await settle();
    expect(rounds.map((round) => round.items)).toEqual([[1], [2, 3, 4]]);
    rounds[1]!.finish();
    expect(await Promise.all(later)).toEqual(['a:2', 'a:3', 'a:4']);
  });

  it('keeps keys apart: another key’s caller does not wait', async () => {
    const { rounds, run } = controlledRun();
    const commit = groupCommit(run, { maxWeight: 100, weight: () => 1 });
    const a = commit('a', 1);
    const b = commit('b', 1);
    expect(rounds.map((round) => [round.key, round.items])).toEqual([
      ['a', [1]],
      ['b', [1]],
    ]);
    rounds[1]!.finish();
    expect(await b).toBe('b:1');
    rounds[0]!.finish();
    expect(await a).toBe('a:1');
  });

  it('takes no more than maxWeight in a round, but always one caller', async () => {
    const { rounds, run } = controlledRun();
    const commit = groupCommit(run, { maxWeight: 10, weight: (item) => item });
    const all = [commit('a', 1), commit('a', 4), commit('a', 5), commit('a', 2), commit('a', 30), commit('a', 3)];
    for (let i = 0; i < 5; i++) {
      rounds.at(-1)!.finish();
      await settle();
    }
    expect(rounds.map((round) => round.items)).toEqual([[1], [4, 5], [2], [30], [3]]);
    rounds.at(-1)!.finish();
    expect(await Promise.all(all)).toEqual(['a:1', 'a:4', 'a:5', 'a:2', 'a:30', 'a:3']);
  });

  it('runs a failed round again caller by caller, so only the bad caller fails', async () => {
    const { rounds, run } = controlledRun({ failWhen: (items) => items.includes(13) });
    const commit = groupCommit(run, { maxWeight: 100, weight: () => 1 });
    const first = commit('a', 1);
    const good = commit('a', 2);
    const bad = commit('a', 13);
    const alsoGood = commit('a', 3);
    rounds[0]!.finish();
    await first;
    await settle();
    rounds[1]!.finish(); // [2, 13, 3] fails as a whole
    await settle();
    expect(rounds.slice(2).map((round) => round.items)).toEqual([[2], [13], [3]]);
    for (const round of rounds.slice(2)) round.finish();
    expect(await good).toBe('a:2');
    expect(await alsoGood).toBe('a:3');
    await expect(bad).rejects.toThrow('round 13 failed');
  });

  it('starts afresh once a key has gone quiet', async () => {
    const { rounds, run } = controlledRun();
    const commit = groupCommit(run, { maxWeight: 100, weight: () => 1 });
    const first = commit('a', 1);
    rounds[0]!.finish();
    await first;
    await settle();
    const second = commit('a', 2);
    expect(rounds.map((round) => round.items)).toEqual([[1], [2]]);
    rounds[1]!.finish();
    expect(await second).toBe('a:2');
  });
});
