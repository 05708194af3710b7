// The trace filters' globs: `*` is any run of characters, `?` one character, the rest literal. The
// traced side filters with the same patterns; the console applies them to rows it already shows,
// so narrowing a filter takes effect at once.

/** A pattern matching the whole string; an empty or blank glob matches everything. */
export function globToRegExp(glob: string): RegExp {
  const trimmed = glob.trim();
  if (trimmed === '') return /^/;
  let source = '';
  for (const char of trimmed) {
    if (char === '*') source += '.*';
    else if (char === '?') source += '.';
    else source += char.replace(/[.+^${}()|[\]\\/-]/g, '\\$&');
  }
  return new RegExp(`^${source}$`);
}

export function matchesGlob(glob: string, value: string | null | undefined): boolean {
  return globToRegExp(glob).test(value ?? '');
}
