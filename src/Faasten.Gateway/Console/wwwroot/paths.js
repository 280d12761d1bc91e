// Faasten-FS paths as the server parses them (src/Faasten.Fs/Paths/FsPath.cs): components
// separated by ':'; a facet is <label>, whose text may hold ':' (escaped or not) up to the '>'
// that ends the component; '~' starts at the caller's home.

/** The components of a path, as text ("home", "<T,alice>", "photos"). */
export function splitPath(text) {
  if (text === '' || text === ':') return [];
  const parts = [];
  let start = text[0] === ':' ? 1 : 0;
  while (start <= text.length) {
    let end;
    if (text[start] === '<') {
      end = -1;
      for (let i = start + 1; i < text.length; i++) {
        if (text[i] === '\\') i++;
        else if (text[i] === '>' && (i + 1 === text.length || text[i + 1] === ':')) { end = i + 1; break; }
      }
      if (end < 0) end = text.length;
    } else {
      end = text.indexOf(':', start);
      if (end < 0) end = text.length;
    }
    parts.push(text.slice(start, end));
    start = end + 1;
  }
  return parts;
}

export const joinPath = (parts) => parts.join(':');

export const child = (path, name) => (path === '' || path === ':' ? name : `${path}:${name}`);

export const facet = (path, label) => child(path, `<${label}>`);

export function parent(path) {
  const parts = splitPath(path);
  return parts.length === 0 ? null : joinPath(parts.slice(0, -1));
}

/** Whether text is a name the server accepts for a new entry (no ':' or '>', not a facet, not ~ or %). */
export function nameProblem(name) {
  if (name.length === 0) return 'a name is required';
  if (name.length > 255) return 'a name is at most 255 characters';
  if (name.includes(':') || name.includes('>')) return "a name may not contain ':' or '>'";
  if (name.startsWith('<')) return "a name may not start with '<' (that is a facet)";
  if (name === '~' || name === '%') return `'${name}' is reserved`;
  if (/\p{Cc}/u.test(name)) return 'a name may not contain control characters';
  return null;
}
