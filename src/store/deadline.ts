// A caller's deadline travels with its store work without being passed through every function:
// statements issued inside `withStoreSignal` carry that signal, so the engine queue can drop
// them unrun once the caller (an API request past its deadline, say) has given up.
import { AsyncLocalStorage } from 'node:async_hooks';

const scope = new AsyncLocalStorage<AbortSignal>();

export function withStoreSignal<T>(signal: AbortSignal, work: () => Promise<T>): Promise<T> {
  return scope.run(signal, work);
}

/** The signal of the innermost `withStoreSignal` around the caller, if any. */
export function currentStoreSignal(): AbortSignal | undefined {
  return scope.getStore();
}
