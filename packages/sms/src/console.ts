import { maskPhone, maskPhonesIn, smsParts } from '@guanjia/core';
import type { SmsMessage, SmsSender } from '@guanjia/core';

/** Stands in for SNS locally: one line per message, the number masked as in every log. */
export class ConsoleSms implements SmsSender {
  private sent = 0;

  constructor(private readonly write: (line: string) => void = (line) => process.stdout.write(`${line}\n`)) {}

  async send(message: SmsMessage): Promise<{ providerId: string }> {
    this.sent += 1;
    const providerId = `console-${this.sent}`;
    const { encoding, parts } = smsParts(message.body);
    // JSON keeps a multi-line body on one line and leaves Chinese readable.
    const body = JSON.stringify(maskPhonesIn(message.body));
    this.write(`[sms ${providerId}] ${message.kind} to ${maskPhone(message.to)} (${parts} part${parts === 1 ? '' : 's'}, ${encoding}): ${body}`);
    return { providerId };
  }
}
