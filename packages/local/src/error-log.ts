import { maskPhonesIn } from '@guanjia/core';

function describe(error: unknown): string {
  if (error === undefined) return '';
  if (error && typeof error === 'object') {
    const { stack, message } = error as { stack?: unknown; message?: unknown };
    return String(stack ?? message ?? JSON.stringify(error));
  }
  return String(error);
}

/**
 * The app's log of unexpected errors, as plain lines for a person at the console rather
 * than the JSON that Lambda's log pipeline wants. Phone numbers stay masked all the same.
 */
export function consoleErrorLog(entry: Record<string, unknown>): void {
  const { message, method, path, error, kind, suppressed } = entry;
  const where = [method, path].filter((part) => typeof part === 'string').join(' ');
  // A throttled line stands for the ones held back since the last of its kind: say how many.
  const notes = [kind, suppressed ? `${String(suppressed)} more like it since the last line` : undefined].filter((note) => note !== undefined);
  const detail = describe(error);
  const line = `error: ${where ? `${where}: ` : ''}${String(message ?? '')}${notes.length ? ` (${notes.join('; ')})` : ''}`;
  process.stderr.write(`${maskPhonesIn(`${line}${detail ? `\n${detail}` : ''}`)}\n`);
}
