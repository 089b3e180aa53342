/** Resolve after `ms` milliseconds (lock polling waits between tries with this). */
export const sleep = (ms: number): Promise<void> => new Promise<void>((resolve) => setTimeout(resolve, ms));
