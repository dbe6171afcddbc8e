/** A sleep that ends early when `signal` aborts: Ctrl-C or a server stop does not wait out a backoff. */
export function abortableSleep(signal: AbortSignal): (ms: number) => Promise<void> {
  return (ms) => new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    }, { once: true });
  });
}
