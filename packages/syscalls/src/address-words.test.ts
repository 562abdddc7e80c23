import assert from 'node:assert/strict';
import { test } from 'node:test';
import { highWord, lowWord } from './address-words.js';

test('an address splits into the low and high words of its u64, across the 2^32 boundary and up to 2^53', () => {
  for (const addr of [0, 1, 2 ** 32 - 1, 2 ** 32, 2 ** 32 + 1, 0x7fff_1234_5678, 0x7fff_ffff_ffff, 2 ** 53 - 1]) {
    assert.equal(lowWord(addr), addr % 2 ** 32, `low word of ${addr}`);
    assert.equal(highWord(addr), Math.floor(addr / 2 ** 32), `high word of ${addr}`);
    assert.equal(highWord(addr) * 2 ** 32 + lowWord(addr), addr);
  }
});
