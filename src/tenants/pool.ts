/**
 * Run `work` over `items`, at most `parallel` at a time, in order of start. Once `stop()`
 * says so, items not yet started are left out (`undefined` in the result): in-flight
 * ones finish. A bounded pool, so at most `parallel` tenants hold a connection at once,
 * whatever the fleet's size.
 */
export async function runPool<T, R>(
  items: readonly T[],
  parallel: number,
  work: (item: T, index: number) => Promise<R>,
  stop: () => boolean = () => false,
): Promise<(R | undefined)[]> {
  const results: (R | undefined)[] = new Array(items.length).fill(undefined);
  let next = 0;
  const worker = async () => {
    while (next < items.length && !stop()) {
      const index = next++;
      results[index] = await work(items[index]!, index);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(parallel, items.length)) }, worker));
  return results;
}
