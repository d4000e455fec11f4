/** What a value looks like after a trip through a JSON text column (undefined fields dropped). */
export function copyOf<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

/**
 * Code-unit order for strings (byte order for the ASCII names these stores sort; the SQL
 * stores collate "C"), numeric order for numbers.
 */
export function compareKeys(a: string | number, b: string | number): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
