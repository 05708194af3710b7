// The trace filters' globs, as the traced side reads them (actors/trace-filter.ts): the console
// applies them to the rows it already shows, so narrowing a filter takes effect at once, before the
// stream reopens with it. A type glob's `*` matches anything and `A,B` means either; an actor glob's
// `*` stays within one path segment, `**` crosses them, `?` is one character. An actor glob starting
// with `weir:` matches the whole address, one starting with `/` the local path, any other the local
// path's end.

function escape(char: string): string {
  return char.replace(/[.+^${}()|[\]\\/-]/g, '\\$&');
}

function globSource(glob: string, flat: boolean): string {
  let source = '';
  for (let index = 0; index < glob.length; index++) {
    const char = glob[index] as string;
    if (char === '*') {
      const double = glob[index + 1] === '*';
      if (double) index++;
      source += double || flat ? '.*' : '[^/]*';
    } else if (char === '?') source += flat ? '.' : '[^/]';
    else source += escape(char);
  }
  return source;
}

/** A message type glob; a blank one matches every type. */
export function typeMatcher(glob: string): (type: string) => boolean {
  const alternatives = glob
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part !== '');
  if (alternatives.length === 0) return () => true;
  const pattern = new RegExp(`^(?:${alternatives.map((part) => globSource(part, true)).join('|')})$`);
  return (type) => pattern.test(type);
}

/** "/user/a" of "weir://sys@host:port/user/a" (the path itself when it has no address). */
function localPathOf(path: string): string {
  if (!path.startsWith('weir://')) return path;
  const slash = path.indexOf('/', 7);
  return slash < 0 ? '' : path.slice(slash);
}

/** An actor path glob; a blank one matches every path. */
export function actorMatcher(glob: string): (path: string) => boolean {
  const trimmed = glob.trim();
  if (trimmed === '') return () => true;
  if (trimmed.startsWith('weir:')) {
    const whole = new RegExp(`^${globSource(trimmed, false)}$`);
    return (path) => whole.test(path);
  }
  const local = new RegExp(`^${globSource(trimmed.startsWith('/') ? trimmed : `**/${trimmed}`, false)}$`);
  return (path) => local.test(localPathOf(path));
}
