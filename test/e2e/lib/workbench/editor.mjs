// The active editor: opening files by quick open, tabs, the cursor (Go to Line), saving, the
// rendered lines, squiggles and what they underline, and hovers.
import { until } from '../wait.mjs';

/** @param {new (...args: any[]) => object} Base */
export const Editor = (Base) => class extends Base {
  /** Quick open (Ctrl+P) a workspace file by its path relative to the workspace folder. */
  async openFile(rel) {
    const base = rel.split('/').pop();
    const dir = rel.includes('/') ? rel.slice(0, rel.lastIndexOf('/')) : '';
    await this.openQuickInput('Control+P');
    await this.page.keyboard.type(rel, { delay: 5 });
    await this.acceptQuickInputRow((r) => r.label === base && (!dir || r.description.endsWith(dir)), rel);
    await until(`the editor tab of ${rel} to be active`, async () => (await this.activeTab()) === base, { timeout: 20_000 });
    await this.page.locator('.editor-group-container.active .monaco-editor .view-lines').first().waitFor({ timeout: 20_000 });
  }

  /** The label of the active editor tab. */
  activeTab() {
    return this.page.evaluate(() => {
      const tab = document.querySelector('.editor-group-container.active .tab.active .label-name')
        ?? document.querySelector('.editor-group-container.active .title-label .label-name');
      return tab?.textContent?.trim();
    });
  }

  /** Labels of all open editor tabs. */
  tabs() {
    return this.page.evaluate(() => [...document.querySelectorAll('.tabs-container .tab')].map((t) => ({
      label: t.querySelector('.label-name')?.textContent?.trim(),
      active: t.classList.contains('active'),
    })));
  }

  /** Moves the cursor with Go to Line (Ctrl+G), 1-based, and waits for the status bar to show it. */
  async goto(line, column) {
    await this.focusEditor();
    await this.openQuickInput('Control+G');
    await this.page.keyboard.type(`${line}:${column}`, { delay: 5 });
    // Go to Line previews the position while typing, so the status bar shows it before Enter is
    // handled: wait for the picker to close and the editor to have the focus back as well, or a
    // keystroke sent now lands while the picker still moves the cursor (and, for Ctrl+. , VS Code
    // then drops the invoked quick-fix request: "No code actions available").
    await this.key('Enter');
    await until(`Go to Line to close with the cursor at Ln ${line}, Col ${column} and the editor focused`, async () =>
      !(await this.quickInput.count())
      && (await this.cursor())?.startsWith(`Ln ${line}, Col ${column}`)
      && (await this.page.evaluate(() => !!document.activeElement?.closest('.editor-group-container.active .monaco-editor'))), { timeout: 10_000 });
  }

  /** The status bar's cursor position ("Ln 5, Col 13"). */
  cursor() {
    return this.page.evaluate(() => document.querySelector('[id="status.editor.selection"]')?.textContent?.trim());
  }

  async focusEditor() {
    await this.page.locator('.editor-group-container.active .monaco-editor textarea').first().focus();
  }

  async save() {
    await this.focusEditor();
    await this.key('Control+S');
    await until('the active editor to be saved', async () => !(await this.page.locator('.editor-group-container.active .tab.active.dirty').count()), { timeout: 15_000 });
  }

  /** The rendered lines of the active editor (only what is scrolled into view), by line number. */
  visibleLines() {
    return this.page.evaluate(() => {
      const editor = document.querySelector('.editor-group-container.active .monaco-editor');
      if (!editor) return [];
      const numbers = [...editor.querySelectorAll('.margin-view-overlays .line-numbers')].map((n) => ({ top: parseFloat(n.parentElement.style.top), n: Number(n.textContent) }));
      return [...editor.querySelectorAll('.view-lines .view-line')].map((l) => {
        const top = parseFloat(l.style.top);
        return { line: numbers.find((x) => x.top === top)?.n, text: (l.textContent ?? '').replace(/\u00a0/g, ' ') };
      }).sort((a, b) => a.line - b.line);
    });
  }

  /**
   * Screen rectangles of the squiggles (`kind`: warning, error, info, hint) in the active editor,
   * and of the text `text` on the line that holds it, to tell whether a squiggle underlines it.
   */
  squiggles(kind = 'warning') {
    return this.page.evaluate((kind) => {
      const editor = document.querySelector('.editor-group-container.active .monaco-editor');
      if (!editor) return [];
      return [...editor.querySelectorAll(`.view-overlays .squiggly-${kind}`)].map((s) => {
        const r = s.getBoundingClientRect();
        return { left: r.left, right: r.right, top: r.top, bottom: r.bottom };
      });
    }, kind);
  }

  /** The screen rectangle of the first occurrence of `text` in the rendered lines of the active editor. */
  textRect(text) {
    return this.page.evaluate((text) => {
      const editor = document.querySelector('.editor-group-container.active .monaco-editor');
      for (const line of editor?.querySelectorAll('.view-lines .view-line') ?? []) {
        const content = (line.textContent ?? '').replace(/\u00a0/g, ' ');
        const at = content.indexOf(text);
        if (at < 0) continue;
        // Map character offsets to text nodes.
        const walker = document.createTreeWalker(line, NodeFilter.SHOW_TEXT);
        const range = document.createRange();
        let offset = 0;
        let started = false;
        for (let n = walker.nextNode(); n; n = walker.nextNode()) {
          const len = n.textContent.length;
          if (!started && at < offset + len) {
            range.setStart(n, at - offset);
            started = true;
          }
          if (started && at + text.length <= offset + len) {
            range.setEnd(n, at + text.length - offset);
            const r = range.getBoundingClientRect();
            return { left: r.left, right: r.right, top: r.top, bottom: r.bottom };
          }
          offset += len;
        }
      }
      return undefined;
    }, text);
  }

  /** The squiggle of `kind` that underlines exactly `text` (within a few pixels), if any. */
  async squiggleUnder(text, kind = 'warning') {
    const target = await this.textRect(text);
    if (!target) return undefined;
    const tol = 4;
    return (await this.squiggles(kind)).find((s) =>
      Math.abs(s.left - target.left) <= tol && Math.abs(s.right - target.right) <= tol && s.top < target.bottom + tol && s.bottom > target.top - tol);
  }

  /** Moves the mouse onto the first occurrence of `text` in the active editor. */
  async hoverText(text) {
    const r = await until(`"${text}" on screen in the editor`, () => this.textRect(text), { timeout: 10_000 });
    await this.page.mouse.move(10, 10);
    await this.page.mouse.move((r.left + r.right) / 2, (r.top + r.bottom) / 2, { steps: 3 });
  }

  /**
   * Hover `text` until the editor shows a hover that `match` accepts; returns its text. The mouse is
   * moved away and back while no hover shows: a move that lands during a re-layout (a lightbulb, a
   * decoration) makes the editor ask for no hover at all, and it never asks again on its own.
   */
  async hoverUntil(text, what, match, { timeout = 20_000 } = {}) {
    await this.hoverText(text);
    let idle = 0;
    return until(what, async () => {
      const h = await this.hoverContent();
      if (h && match(h)) return h;
      if (!h && ++idle % 15 === 0) await this.hoverText(text); // about every 3 s without a hover
      return undefined;
    }, { timeout });
  }

  /** The text of the visible editor hover, if one is shown. */
  hoverContent() {
    return this.page.evaluate(() => {
      const hovers = [...document.querySelectorAll('.monaco-hover:not(.hidden)')].filter((h) => h.offsetParent !== null || h.getClientRects().length);
      return hovers.map((h) => (h.innerText ?? '').replace(/\u00a0/g, ' ')).join('\n---\n') || undefined;
    });
  }

  /** Labels of the rows of the visible suggest (completion) widget. */
  suggestions() {
    return this.page.evaluate(() => [...document.querySelectorAll('.suggest-widget .monaco-list-row')].map((r) => (r.getAttribute('aria-label') ?? '').replace(/\u00a0/g, ' ')));
  }
};
