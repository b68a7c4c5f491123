// The lines the Rust test writes to a script's stdin, kept until the script asks for them (a
// line may arrive before the script waits for it).

import { createInterface } from 'node:readline';

// `next()` resolves with the next line (rejects once stdin has closed); `close()` when done.
export function instructions() {
  const lines = [];
  const waiting = [];
  let ended = false;
  const input = createInterface({ input: process.stdin });
  input.on('line', (line) => {
    if (waiting.length) waiting.shift().resolve(line);
    else lines.push(line);
  });
  input.on('close', () => {
    ended = true;
    for (const waiter of waiting.splice(0)) waiter.reject(new Error('stdin closed before the next instruction'));
  });
  return {
    next: () => new Promise((resolve, reject) => {
      if (lines.length) resolve(lines.shift());
      else if (ended) reject(new Error('stdin closed before the next instruction'));
      else waiting.push({ resolve, reject });
    }),
    close: () => input.close(),
  };
}
