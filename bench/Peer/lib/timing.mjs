// Timed passes over the file set: `rounds` times every file, `concurrency` decodes in flight at once.

/** Runs `decode(file)` for rounds x files with `concurrency` workers; returns wall seconds and the last text per file. */
export async function timedPass(files, decode, { rounds, concurrency }) {
  const jobs = [];
  for (let r = 0; r < rounds; r++) files.forEach((file, i) => jobs.push(i));
  const texts = new Array(files.length);
  let next = 0;
  const start = process.hrtime.bigint();
  const worker = async () => {
    while (next < jobs.length) {
      const i = jobs[next++];
      texts[i] = await decode(files[i]);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  return { seconds, decodes: jobs.length, texts };
}

/** files/s, audio seconds per second and RTF of a pass. */
export function rates(pass, audioSecondsPerRound, rounds) {
  const audio = audioSecondsPerRound * rounds;
  return { filesPerSecond: pass.decodes / pass.seconds, audioPerSecond: audio / pass.seconds, rtf: pass.seconds / audio };
}
