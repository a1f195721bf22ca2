let lastKey = 0;

/** A stable React key for a row of an editable list, which an index is not once rows move. */
export function rowKey(): number {
  lastKey += 1;
  return lastKey;
}
