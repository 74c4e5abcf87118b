// Group commit in the application: callers that arrive while the same key's round runs wait for
// the next round and go together, so a busy key costs one round trip for many callers instead of
// one each, and an idle key runs a lone caller at once, waiting for nothing. A round that fails is
// run again caller by caller, so one caller's bad input fails only that caller.
export type GroupCommitOptions<I> = {
  /** How much a round takes at most (at least one caller, whatever its weight). */
  maxWeight: number;
  weight: (item: I) => number;
};

type Waiting<I, O> = { item: I; resolve: (value: O) => void; reject: (error: unknown) => void };

/**
 * `run(key, items)` must answer one result per item, in order. Returns the function callers use:
 * it resolves with the caller's own result once the round holding its item is done.
 */
export function groupCommit<I, O>(run: (key: string, items: I[]) => Promise<O[]>, options: GroupCommitOptions<I>): (key: string, item: I) => Promise<O> {
  // A key has a queue while its rounds run; whoever finds none starts them.
  const queues = new Map<string, Waiting<I, O>[]>();

  function nextRound(queue: Waiting<I, O>[]): Waiting<I, O>[] {
    let weight = options.weight(queue[0]!.item);
    let count = 1;
    while (count < queue.length && weight + options.weight(queue[count]!.item) <= options.maxWeight) weight += options.weight(queue[count++]!.item);
    return queue.splice(0, count);
  }

  async function drain(key: string, queue: Waiting<I, O>[]): Promise<void> {
    while (queue.length > 0) {
      const round = nextRound(queue);
      try {
        const results = await run(key, round.map((waiting) => waiting.item));
        round.forEach((waiting, index) => waiting.resolve(results[index]!));
      } catch (error) {
        if (round.length === 1) {
          round[0]!.reject(error);
          continue;
        }
        await Promise.all(
          round.map((waiting) =>
            run(key, [waiting.item]).then(
              ([result]) => waiting.resolve(result!),
              (alone) => waiting.reject(alone),
            ),
          ),
        );
      }
    }
    queues.delete(key);
  }

  return (key, item) =>
    new Promise<O>((resolve, reject) => {
      const queue = queues.get(key);
      if (queue) {
        queue.push({ item, resolve, reject });
        return;
      }
      const started: Waiting<I, O>[] = [{ item, resolve, reject }];
      queues.set(key, started);
      void drain(key, started);
    });
}
