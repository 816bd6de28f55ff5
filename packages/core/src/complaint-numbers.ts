import { randomInt } from 'node:crypto';
import { ConflictError } from './errors.ts';

/** Digits only, at most ten: what an owner reads out on the phone and finds in the SMS. */
export const COMPLAINT_NUMBER = /^\d{1,10}$/;

/** Another complaint holds the number drawn: draw again. */
export class ComplaintNumberTakenError extends ConflictError {
  override readonly code = 'complaint_number_taken';
  constructor(readonly number: string) {
    super(`complaint number ${number} is taken`, { number });
  }
}

/**
 * 投诉编号: the site day it was filed (YYMMDD) and four random digits, as in 2611230417. No
 * counter item is shared by every complaint of the company: a claim on the number, written in
 * the complaint's own transaction, keeps it unique, and a number drawn twice is drawn again.
 * The day confines a draw to that day's complaints: at a thousand a day, one draw in ten
 * meets a taken number.
 */
export function drawComplaintNumber(siteDay: string, draw: (below: number) => number = randomInt): string {
  return `${siteDay.slice(2).replaceAll('-', '')}${String(draw(10_000)).padStart(4, '0')}`;
}
