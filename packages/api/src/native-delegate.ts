/** What a Request and a Response both read their body with. */
export const BODY_METHODS = ['arrayBuffer', 'blob', 'bytes', 'clone', 'formData', 'json', 'text'] as const;

/**
 * Gives a light stand-in for a platform Request or Response (built from the Lambda event, or
 * from what Hono returned) the rest of the platform object's surface: each named getter and
 * method is answered by the platform object the stand-in builds on first use, `native()`, so
 * nothing reads a stale copy and the common path never builds one.
 */
export function delegateToNative(prototype: { native(): object }, getters: readonly string[], methods: readonly string[]): void {
  type Native = Record<string, unknown>;
  for (const key of getters) {
    Object.defineProperty(prototype, key, {
      get(this: { native(): object }) {
        return (this.native() as Native)[key];
      },
    });
  }
  for (const key of methods) {
    Object.defineProperty(prototype, key, {
      value(this: { native(): object }) {
        const native = this.native() as Native;
        return (native[key] as () => unknown).call(native);
      },
    });
  }
}
