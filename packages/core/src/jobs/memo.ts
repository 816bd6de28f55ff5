/** One load per key for the length of a job run: a site read once, not once per customer or complaint. */
export function memo<T>(load: (key: string) => Promise<T>): (key: string) => Promise<T> {
  const loaded = new Map<string, Promise<T>>();
  return (key) => {
    let found = loaded.get(key);
    if (!found) loaded.set(key, (found = load(key)));
    return found;
  };
}
