/** Paging long model text so no render ever takes it whole. */

/** Longer texts are paged: 5 MB of model output through Markdown and KaTeX at once hangs the tab. */
export const TEXT_LIMIT = 20_000;

/**
 * Page boundaries for `text`: at most `limit` characters a page, cut at a paragraph break (else a
 * line break, else a space) in the page's second half, so a formula or a table is rarely split.
 */
export function pageStarts(text: string, limit = TEXT_LIMIT): number[] {
  const starts = [0];
  let at = 0;
  while (text.length - at > limit) {
    const end = at + limit;
    const floor = at + limit / 2;
    let cut = text.lastIndexOf('\n\n', end);
    if (cut <= floor) cut = text.lastIndexOf('\n', end);
    if (cut <= floor) cut = text.lastIndexOf(' ', end);
    at = cut <= floor ? end : cut + 1;
    starts.push(at);
  }
  return starts;
}
