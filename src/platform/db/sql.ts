/**
 * The `sql` tagged template: values become `$n` parameters, never text. Fragments nest,
 * so queries can be composed without string concatenation.
 */
export class SqlFragment {
  constructor(
    readonly strings: readonly string[],
    readonly values: readonly unknown[],
  ) {}
}

export type SqlQuery = { text: string; values: unknown[] };

export function sql(strings: TemplateStringsArray, ...values: unknown[]): SqlFragment {
  return new SqlFragment([...strings], values);
}

/** Joins fragments (or values) with a separator, e.g. for `IN (...)` or SET lists. */
sql.join = (parts: readonly (SqlFragment | unknown)[], separator = ', '): SqlFragment => {
  if (parts.length === 0) return new SqlFragment([''], []);
  const strings: string[] = [''];
  for (let index = 1; index < parts.length; index += 1) strings.push(separator);
  strings.push('');
  return new SqlFragment(strings, parts);
};

/** An empty fragment, for optional clauses. */
sql.empty = new SqlFragment([''], []);

/**
 * A trusted identifier or keyword. Only for text chosen from a whitelist in code
 * (a sort column from a map), never for input.
 */
sql.unsafeRaw = (text: string): SqlFragment => new SqlFragment([text], []);

export function compile(fragment: SqlFragment): SqlQuery {
  const values: unknown[] = [];
  const text = render(fragment, values);
  return { text, values };
}

function render(fragment: SqlFragment, values: unknown[]): string {
  let text = fragment.strings[0] ?? '';
  fragment.values.forEach((value, index) => {
    if (value instanceof SqlFragment) {
      text += render(value, values);
    } else {
      values.push(value);
      text += `$${values.length}`;
    }
    text += fragment.strings[index + 1] ?? '';
  });
  return text;
}
