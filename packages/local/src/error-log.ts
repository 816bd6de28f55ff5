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
  const { message, method, path, error } = entry;
  const where = [method, path].filter((part) => typeof part === 'string').join(' ');
  const detail = describe(error);
  process.stderr.write(maskPhonesIn(`error: ${where ? `${where}: ` : ''}${String(message ?? '')}${detail ? `\n${detail}` : ''}`) + '\n');
}
