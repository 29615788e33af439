/** Key events to bindings, canonical forms, remapping without conflicts, stored maps cleaned. */
import { describe, expect, test } from 'vitest';
import {
  canonical,
  comboOf,
  conflicts,
  defaultKeymap,
  indexKeymap,
  normaliseKeymap,
  prettyKey,
  rebind,
  type KeyLike,
} from '../../../renderer/src/lib/keymap';

const key = (k: string, extra: Partial<KeyLike> = {}): KeyLike => ({
  key: k,
  code: '',
  ctrlKey: false,
  metaKey: false,
  altKey: false,
  shiftKey: false,
  ...extra,
});

describe('comboOf', () => {
  test('plain keys, shifted letters and symbols', () => {
    expect(comboOf(key('3'))).toBe('3');
    expect(comboOf(key('N', { shiftKey: true }))).toBe('Shift+n');
    expect(comboOf(key('?', { shiftKey: true }))).toBe('?');
    expect(comboOf(key('ArrowUp'))).toBe('ArrowUp');
    expect(comboOf(key(' '))).toBe('Space');
    expect(comboOf(key('Shift', { shiftKey: true }))).toBeNull();
  });

  test('Ctrl and Cmd are both Mod; chords read the physical key', () => {
    expect(comboOf(key('z', { ctrlKey: true, code: 'KeyZ' }))).toBe('Mod+z');
    expect(comboOf(key('Z', { metaKey: true, shiftKey: true, code: 'KeyZ' }))).toBe('Mod+Shift+z');
    // Option+2 types "™" on a Mac: the binding is still Alt+2.
    expect(comboOf(key('™', { altKey: true, code: 'Digit2' }))).toBe('Alt+2');
    expect(comboOf(key('ß', { altKey: true, code: 'KeyS' }))).toBe('Alt+s');
  });
});

describe('keymap', () => {
  test('canonical forms compare equal however they are typed', () => {
    expect(canonical('shift+N')).toBe('Shift+n');
    expect(canonical('ctrl+shift+Z')).toBe('Mod+Shift+z');
    expect(canonical('cmd+k')).toBe('Mod+k');
    expect(canonical('+')).toBe('+');
    expect(canonical('Mod++')).toBe('Mod++');
  });

  test('defaults: 1/2/3 rate, hjkl and arrows move, undo and redo', () => {
    const index = indexKeymap(defaultKeymap());
    expect(index.get('1')).toBe('rateMinus');
    expect(index.get('3')).toBe('ratePlus');
    expect(index.get('k')).toBe('parent');
    expect(index.get('ArrowDown')).toBe('child');
    expect(index.get('Mod+z')).toBe('undo');
    expect(index.get('Mod+Shift+z')).toBe('redo');
    expect(conflicts(defaultKeymap()).size).toBe(0);
  });

  test('rebinding moves a key from its old action and never leaves a conflict', () => {
    const map = rebind(defaultKeymap(), 'ratePlus', 'f');
    expect(map.ratePlus).toEqual(['f']);
    expect(map.flag).toEqual([]);
    expect(conflicts(map).size).toBe(0);
    const added = rebind(map, 'ratePlus', 'Shift+u', false);
    expect(added.ratePlus).toEqual(['f', 'Shift+u']);
  });

  test('stored maps keep valid entries and fall back to defaults for junk', () => {
    const map = normaliseKeymap({ ratePlus: ['u'], flag: 'f', undo: [42], nonsense: ['x'] });
    expect(map.ratePlus).toEqual(['u']);
    expect(map.flag).toEqual(['f']);
    expect(map.undo).toEqual(['Mod+z']);
    expect(normaliseKeymap('garbage')).toEqual(defaultKeymap());
  });

  test('keys are shown the way each platform writes them', () => {
    expect(prettyKey('Mod+Shift+z', false)).toBe('Ctrl+Shift+Z');
    expect(prettyKey('Mod+Shift+z', true)).toBe('⌘⇧Z');
    expect(prettyKey('ArrowLeft', false)).toBe('←');
  });
});
