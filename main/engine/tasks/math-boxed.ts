/** Content of the last `\boxed{...}` / `\fbox{...}` (braces matched), or `\boxed 5`; null if none. */
export function extractBoxed(text: string): string | null {
  const boxed = text.lastIndexOf('\\boxed');
  const at = Math.max(boxed, text.lastIndexOf('\\fbox'));
  if (at < 0) return null;
  let i = at + (at === boxed ? '\\boxed'.length : '\\fbox'.length);
  while (text[i] === ' ') i++;
  if (text[i] !== '{') {
    const m = /^\s*([^\s$]+)/.exec(text.slice(i));
    return m ? m[1]! : null;
  }
  let depth = 0;
  for (let j = i; j < text.length; j++) {
    if (text[j] === '{') depth++;
    else if (text[j] === '}' && --depth === 0) return text.slice(i + 1, j).trim();
  }
  return null; // unbalanced braces: no readable answer
}
