// Transcript comparison: whitespace-normalised equality and character error rate.

export function normalise(text) {
  return text.trim().replace(/\s+/g, ' ');
}

/** Levenshtein distance between two strings, by characters. */
export function editDistance(a, b) {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length];
}

/** Identical transcripts and the character error rate of `hypotheses` against `references` (summed edits / reference characters). */
export function agreement(references, hypotheses) {
  let identical = 0;
  let edits = 0;
  let characters = 0;
  references.forEach((reference, i) => {
    const [r, h] = [normalise(reference), normalise(hypotheses[i])];
    identical += r === h ? 1 : 0;
    edits += editDistance(r, h);
    characters += r.length;
  });
  return { identical, total: references.length, cer: characters === 0 ? 0 : edits / characters };
}
