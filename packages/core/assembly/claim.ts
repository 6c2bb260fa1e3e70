// Work shared between threads: each claims the next units from a shared counter until none are
// left, so threads running side by side balance their load whatever their speeds.

/** Adds `step` to the i32 at `counter` (atomically where threads exist) and returns its old value. */
@inline export function claim(counter: usize, step: i32): i32 {
  if (ASC_FEATURE_THREADS) return atomic.add<i32>(counter, step);
  const first = load<i32>(counter);
  store<i32>(counter, first + step);
  return first;
}
