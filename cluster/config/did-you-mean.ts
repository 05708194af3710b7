// "Did you mean ...?" for a mistyped configuration key, command or flag: the closest candidate by
// optimal-string-alignment distance (Damerau-Levenshtein without repeated edits of one substring),
// if it is close enough to be a typo rather than another word.

/** Edits allowed at most: two, or one per six characters for long keys ("taskmanager.numberOfTaskSlot"). */
function maxEditsFor(word: string): number {
  return Math.max(2, Math.floor(word.length / 6));
}

/** The candidate closest to `word` within the typo bound; ties go to the first candidate. */
export function closestMatch(word: string, candidates: Iterable<string>): string | undefined {
  const bound = maxEditsFor(word);
  let best: string | undefined;
  let bestDistance = bound + 1;
  for (const candidate of candidates) {
    if (candidate === word || candidate.length <= 1) continue;
    const distance = editDistance(word.toLowerCase(), candidate.toLowerCase(), bestDistance);
    // A case-only difference ("numberoftaskslots") is the closest of all.
    const score = distance === 0 ? 0.5 : distance;
    if (score < bestDistance) {
      best = candidate;
      bestDistance = score;
    }
  }
  return best;
}

/** ' (did you mean "x"?)', or '' when nothing is close. */
export function didYouMean(word: string, candidates: Iterable<string>, quote = '"'): string {
  const match = closestMatch(word, candidates);
  return match === undefined ? '' : ` (did you mean ${quote}${match}${quote}?)`;
}

/** Optimal string alignment distance; returns `limit` or more as soon as it cannot be below it. */
export function editDistance(a: string, b: string, limit = Infinity): number {
  if (Math.abs(a.length - b.length) >= limit) return limit;
  let beforePrevious: number[] = [];
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let value = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) value = Math.min(value, beforePrevious[j - 2] + 1);
      current[j] = value;
      rowMin = Math.min(rowMin, value);
    }
    if (rowMin >= limit) return limit;
    beforePrevious = previous;
    previous = current;
  }
  return previous[b.length];
}
