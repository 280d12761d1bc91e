// Buckle labels in the browser, for display and for the label calculator. The syntax and the
// semantics follow src/Faasten.Labels (its README): `secrecy,integrity`; a component is T, F or
// clauses joined by `&`; a clause is principals joined by `|`; a principal is tokens joined by
// `/`, and a principal speaks for every principal it is a prefix of. The console never decides
// access with this: the server does. A test checks these results against Faasten.Labels.

const DELIMITERS = new Set([',', '|', '&', '/', '\\']);
const isSpace = (c) => /\s/u.test(c);

export class LabelSyntaxError extends Error {
  constructor(offset, expected) {
    super(`invalid label text at offset ${offset}: expected ${expected}`);
    this.offset = offset;
    this.expected = expected;
  }
}

/** A component: `f` true is F (false); otherwise the conjunction of `clauses` (none: T). */
export const TRUE = Object.freeze({ f: false, clauses: [] });
export const FALSE = Object.freeze({ f: true, clauses: [] });

class Parser {
  constructor(text) { this.text = text; this.pos = 0; }
  peek() { return this.text[this.pos]; }
  skipSpace() { while (this.pos < this.text.length && isSpace(this.text[this.pos])) this.pos++; }

  token() {
    this.skipSpace();
    let value = '';
    let escaped = false;
    while (this.pos < this.text.length) {
      const c = this.text[this.pos];
      if (c === '\\') {
        if (this.pos + 1 >= this.text.length) throw new LabelSyntaxError(this.pos + 1, 'a character after \\');
        value += this.text[this.pos + 1];
        escaped = true;
        this.pos += 2;
      } else if (DELIMITERS.has(c) || isSpace(c)) {
        break;
      } else {
        value += c;
        this.pos++;
      }
    }
    if (value.length === 0) throw new LabelSyntaxError(this.pos, 'a component (T, F or a principal)');
    return { value, escaped };
  }

  principal() {
    const tokens = [this.token()];
    for (;;) {
      this.skipSpace();
      if (this.peek() !== '/') return tokens;
      this.pos++;
      tokens.push(this.token());
    }
  }

  clause() {
    const principals = [this.principal()];
    for (;;) {
      this.skipSpace();
      if (this.peek() !== '|') return principals;
      this.pos++;
      principals.push(this.principal());
    }
  }

  component() {
    const clauses = [this.clause()];
    for (;;) {
      this.skipSpace();
      if (this.peek() !== '&') break;
      this.pos++;
      clauses.push(this.clause());
    }
    // T and F are keywords only as a whole component, unescaped.
    if (clauses.length === 1 && clauses[0].length === 1 && clauses[0][0].length === 1 && !clauses[0][0][0].escaped) {
      const word = clauses[0][0][0].value;
      if (word === 'T') return TRUE;
      if (word === 'F') return FALSE;
    }
    return makeComponent(clauses.map((c) => c.map((p) => p.map((t) => t.value))));
  }

  end() {
    this.skipSpace();
    if (this.pos !== this.text.length) throw new LabelSyntaxError(this.pos, 'the end of the text');
  }
}

export function parseComponent(text) {
  const parser = new Parser(text);
  const component = parser.component();
  parser.end();
  return component;
}

export function parseLabel(text) {
  const parser = new Parser(text);
  const secrecy = parser.component();
  parser.skipSpace();
  if (parser.peek() !== ',') throw new LabelSyntaxError(parser.pos, "',' between secrecy and integrity");
  parser.pos++;
  const integrity = parser.component();
  parser.end();
  return { secrecy, integrity };
}

// ---- canonical form -------------------------------------------------------------------------

const comparePrincipals = (a, b) => {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    if (a[i] !== b[i]) return a[i] < b[i] ? -1 : 1;
  }
  return a.length - b.length;
};

const compareClauses = (a, b) => {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const c = comparePrincipals(a[i], b[i]);
    if (c !== 0) return c;
  }
  return a.length - b.length;
};

const isPrefix = (p, q) => p.length <= q.length && p.every((t, i) => t === q[i]);

/** c1 ⇒ c2: every principal of c1 is a prefix of some principal of c2. */
export const clauseImplies = (c1, c2) => c1.every((p) => c2.some((q) => isPrefix(p, q)));

function reduceClause(principals) {
  const kept = principals.filter((p, i) =>
    !principals.some((q, j) => j !== i && isPrefix(p, q) && (p.length < q.length || j < i)));
  return kept.sort(comparePrincipals);
}

function makeComponent(clauses) {
  const reduced = clauses.map(reduceClause);
  // Drop a clause another (stronger) clause implies; of equal clauses keep the first.
  const kept = reduced.filter((c, i) =>
    !reduced.some((d, j) => j !== i && clauseImplies(d, c) && (!clauseImplies(c, d) || j < i)));
  return { f: false, clauses: kept.sort(compareClauses) };
}

export const isTrue = (c) => !c.f && c.clauses.length === 0;

// ---- operations -----------------------------------------------------------------------------

/** a ⇒ b. */
export function implies(a, b) {
  if (a.f) return true;
  if (b.f) return false;
  return b.clauses.every((cb) => a.clauses.some((ca) => clauseImplies(ca, cb)));
}

export function and(a, b) {
  if (a.f || b.f) return FALSE;
  return makeComponent([...a.clauses, ...b.clauses]);
}

export function or(a, b) {
  if (a.f) return b;
  if (b.f) return a;
  if (isTrue(a) || isTrue(b)) return TRUE;
  const clauses = [];
  for (const ca of a.clauses) for (const cb of b.clauses) clauses.push([...ca, ...cb]);
  return makeComponent(clauses);
}

export const lub = (a, b) => ({ secrecy: and(a.secrecy, b.secrecy), integrity: or(a.integrity, b.integrity) });
export const glb = (a, b) => ({ secrecy: or(a.secrecy, b.secrecy), integrity: and(a.integrity, b.integrity) });

/**
 * Whether `from` flows to `to` under `privilege` ((to.S ∧ p) ⇒ from.S and (from.I ∧ p) ⇒ to.I),
 * and, when it does not, each clause that fails: a secrecy clause of `from` the destination
 * (with the privilege) does not keep, or an integrity clause `to` demands that `from` (with the
 * privilege) does not vouch for.
 */
export function explainFlow(from, to, privilege = TRUE) {
  const keeps = and(to.secrecy, privilege);
  const vouches = and(from.integrity, privilege);
  const failures = [];
  if (from.secrecy.f && !keeps.f) {
    failures.push({ part: 'secrecy', clause: null, text: 'the source is F, the most secret label: it flows only to F' });
  } else {
    for (const clause of from.secrecy.clauses) {
      if (!implies(keeps, { f: false, clauses: [clause] })) {
        failures.push({ part: 'secrecy', clause, text: `the source may be read only by ${printClause(clause)}, and the destination${isTrue(privilege) ? '' : ' with the privilege'} does not require that of its readers` });
      }
    }
  }
  if (to.integrity.f && !vouches.f) {
    failures.push({ part: 'integrity', clause: null, text: 'the destination demands F, the most trusted integrity: nothing else flows to it' });
  } else {
    for (const clause of to.integrity.clauses) {
      if (!implies(vouches, { f: false, clauses: [clause] })) {
        failures.push({ part: 'integrity', clause, text: `the destination demands the word of ${printClause(clause)}, and the source${isTrue(privilege) ? '' : ' with the privilege'} does not carry it` });
      }
    }
  }
  return { flows: failures.length === 0, failures };
}

// ---- printing -------------------------------------------------------------------------------

const escapeToken = (t) => Array.from(t, (c) => (DELIMITERS.has(c) || isSpace(c) ? '\\' + c : c)).join('');
export const printPrincipal = (p) => p.map(escapeToken).join('/');
export const printClause = (c) => c.map(printPrincipal).join('|');

export function printComponent(c) {
  if (c.f) return 'F';
  if (c.clauses.length === 0) return 'T';
  if (c.clauses.length === 1 && c.clauses[0].length === 1 && c.clauses[0][0].length === 1) {
    const only = c.clauses[0][0][0];
    if (only === 'T' || only === 'F') return '\\' + only;
  }
  return c.clauses.map(printClause).join('&');
}

export const printLabel = (l) => `${printComponent(l.secrecy)},${printComponent(l.integrity)}`;

/** Label text from a Faasten-Label header: printable ASCII as is, anything else percent-encoded UTF-8. */
export function fromHeader(value) {
  if (value === null) return null;
  if (!value.includes('%')) return value;
  try {
    const decoded = decodeURIComponent(value);
    return /[^\x20-\x7e]/u.test(decoded) ? decoded : value;
  } catch {
    return value;
  }
}
