// The lines the Rust test writes to a script's stdin, kept until the script asks for them (a
// line may arrive before the script waits for it).

import { createInterface } from 'node:readline';

// `next()` resolves with the next line (rejects once stdin has closed), `expect(wanted)` once it
// is `wanted` (and rejects on any other line); `close()` when done.
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
  const next = () => new Promise((resolve, reject) => {
    if (lines.length) resolve(lines.shift());
    else if (ended) reject(new Error('stdin closed before the next instruction'));
    else waiting.push({ resolve, reject });
  });
  const expect = async (wanted) => {
    const line = (await next()).trim();
    if (line !== wanted) throw new Error(`expected ${wanted} on stdin, got ${JSON.stringify(line)}`);
  };
  return { next, expect, close: () => input.close() };
}
