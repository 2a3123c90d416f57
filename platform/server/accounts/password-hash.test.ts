import { describe, expect, it } from 'vitest';
import { hashPassword, passwordProblem, verifyPassword } from './password-hash';

describe('password hashes', () => {
  it('verifies the right password and nothing else; every hash has its own salt', async () => {
    const hash = await hashPassword('lantern-river-77');
    expect(hash).toMatch(/^scrypt\$32768\$8\$1\$[\w-]{22}\$[\w-]{43}$/);
    expect(await verifyPassword('lantern-river-77', hash)).toBe(true);
    expect(await verifyPassword('lantern-river-78', hash)).toBe(false);
    expect(await hashPassword('lantern-river-77')).not.toBe(hash);
    expect(await verifyPassword('x', 'plain-text-password')).toBe(false);
  }, 30_000); // four real scrypt runs: slow by design, slower on a busy machine

  it('asks for a long password that is not the account name', () => {
    expect(passwordProblem('short', 'li.na')).toMatch(/12/);
    expect(passwordProblem('li.na-li.na-2026', 'li.na')).toMatch(/账号名/);
    expect(passwordProblem('aaaaaaaaaaaaaaaa', 'li.na')).toMatch(/种类/);
    expect(passwordProblem('lantern-river-77', 'li.na')).toBeNull();
  });
});
