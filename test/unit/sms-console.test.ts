import { describe, expect, it } from 'vitest';
import { ConsoleSms } from '@guanjia/sms';

describe('ConsoleSms', () => {
  it('prints one line per message, number masked, with its parts, and numbers its ids', async () => {
    const lines: string[] = [];
    const sms = new ConsoleSms((line) => lines.push(line));
    await expect(sms.send({ to: '+8613800138000', body: '【安居】王先生，生日快乐！\n回T退订', kind: 'care' })).resolves.toEqual({ providerId: 'console-1' });
    await expect(sms.send({ to: '+8613900139000', body: '中'.repeat(71), kind: 'notice' })).resolves.toEqual({ providerId: 'console-2' });
    expect(lines).toHaveLength(2);
    expect(lines[0]).toBe('[sms console-1] care to 138****8000 (1 part, UCS-2): "【安居】王先生，生日快乐！\\n回T退订"');
    expect(lines[1]).toContain('notice to 139****9000 (2 parts, UCS-2)');
  });

  it('never prints a whole phone number, even one inside the text', async () => {
    const lines: string[] = [];
    await new ConsoleSms((line) => lines.push(line)).send({ to: '+8613800138000', body: '请回电 13800138000', kind: 'notice' });
    expect(lines.join('\n')).not.toMatch(/13800138000/);
  });
});
