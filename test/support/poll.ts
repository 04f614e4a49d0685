/** Polls `predicate` until it holds, failing after `deadlineMs` with what was awaited. */
export async function until(
  what: string,
  deadlineMs: number,
  predicate: () => boolean | Promise<boolean>,
): Promise<void> {
  const end = Date.now() + deadlineMs;
  for (;;) {
    if (await predicate()) return;
    if (Date.now() > end) throw new Error(`timed out after ${deadlineMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
