// Driving VS Code's workbench (served by code-server) the way a person does: keyboard shortcuts,
// the command palette, the quick-fix menu, hovers, the Problems panel and tree views. Every helper
// waits for what it needs on screen and fails with what it saw instead.
import { until } from './wait.mjs';

/** Collapses the non-breaking spaces Monaco renders into plain text. */
const clean = (s) => (s ?? '').replace(/\u00a0/g, ' ');

export class Workbench {
  /** @param {import('playwright-core').Page} page */
  constructor(page, workspace) {
    this.page = page;
    this.workspace = workspace;
  }

  async ready() {
    await this.page.waitForSelector('.monaco-workbench', { timeout: 90_000 });
    // The status bar fills in once the workbench has restored its parts.
    await this.page.waitForSelector('.statusbar-item', { timeout: 60_000 });
    // The extension's contributions are registered once its activity-bar container shows: before
    // that the command palette does not list its commands yet.
    await until('the Linger entry in the activity bar (the extension\'s contributions loaded)', () =>
      this.page.locator('.activitybar .action-item a[aria-label^="Linger"]').count(), { timeout: 60_000 });
  }

  // ------------------------------------------------------------------ keyboard and quick input

  key(k) {
    return this.page.keyboard.press(k);
  }

  /** The visible quick input (command palette, quick open, pickers, simple file dialog). */
  get quickInput() {
    return this.page.locator('.quick-input-widget:visible');
  }

  async openQuickInput(shortcut) {
    // A previous quick input or hover may still hold the focus: close it first.
    if (await this.quickInput.count()) await this.key('Escape');
    await this.key(shortcut);
    await this.quickInput.locator('input.input').waitFor({ state: 'visible', timeout: 15_000 });
  }

  /** Labels of the rows of the visible quick input list, and which is focused. */
  quickInputRows() {
    return this.page.evaluate(() => {
      const widget = [...document.querySelectorAll('.quick-input-widget')].find((w) => w.offsetParent !== null || getComputedStyle(w).display !== 'none');
      if (!widget) return [];
      return [...widget.querySelectorAll('.quick-input-list .monaco-list-row')].map((r) => ({
        label: (r.querySelector('.monaco-icon-label .label-name')?.textContent ?? '').replace(/\u00a0/g, ' ').trim(),
        description: (r.querySelector('.label-description')?.textContent ?? '').trim(),
        aria: r.getAttribute('aria-label') ?? '',
        focused: r.classList.contains('focused'),
      }));
    });
  }

  /** Moves the focus in the open quick input list to the row whose label matches, then accepts it. */
  async acceptQuickInputRow(match, what) {
    const rows = await until(`a row "${what}" in the quick input`, async () => {
      const rs = await this.quickInputRows();
      return rs.some((r) => match(r)) && rs;
    }, { timeout: 20_000 });
    for (let i = 0; i <= rows.length + 1; i++) {
      const now = await this.quickInputRows();
      const focused = now.find((r) => r.focused);
      if (focused && match(focused)) {
        await this.key('Enter');
        return;
      }
      await this.key('ArrowDown');
    }
    throw new Error(`could not focus "${what}" in the quick input; rows: ${JSON.stringify((await this.quickInputRows()).map((r) => r.label))}`);
  }

  /** Runs a command from the command palette by its full label, e.g. "Linger: Audit Connections in Workspace". */
  async command(label) {
    await this.openQuickInput('F1');
    await this.page.keyboard.type(label, { delay: 5 });
    await this.acceptQuickInputRow((r) => r.label === label, label);
    await this.quickInput.waitFor({ state: 'hidden', timeout: 15_000 }).catch(() => {});
  }

  /** The command palette's labels matching `text` (to say what was offered when a command is missing). */
  async paletteLabels(text) {
    await this.openQuickInput('F1');
    await this.page.keyboard.type(text, { delay: 5 });
    // The list filters as the text arrives: take it once it has stopped changing.
    let previous;
    const rows = await until('the command palette to filter', async () => {
      const rs = JSON.stringify((await this.quickInputRows()).map((r) => r.label));
      const stable = rs === previous;
      previous = rs;
      return stable && JSON.parse(rs);
    }, { timeout: 10_000, interval: 300 }).catch(() => []);
    await this.key('Escape');
    return rows;
  }

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

  // ------------------------------------------------------------------ the editor's text and decorations

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

  /** The text of the visible editor hover, if one is shown. */
  hoverContent() {
    return this.page.evaluate(() => {
      const hovers = [...document.querySelectorAll('.monaco-hover:not(.hidden)')].filter((h) => h.offsetParent !== null || h.getClientRects().length);
      return hovers.map((h) => (h.innerText ?? '').replace(/\u00a0/g, ' ')).join('\n---\n') || undefined;
    });
  }

  // ------------------------------------------------------------------ quick fixes

  /** Titles of the rows of the open action widget (quick fix / source action menu). */
  actionRows() {
    return this.page.evaluate(() => [...document.querySelectorAll('.action-widget .monaco-list-row')].map((r) => ({
      label: r.getAttribute('aria-label') ?? '',
      focused: r.classList.contains('focused'),
      disabled: r.classList.contains('option-disabled') || r.getAttribute('aria-disabled') === 'true',
    })));
  }

  /** Opens the quick-fix menu (Ctrl+.) at the cursor and waits for it to list something. */
  async openQuickFix() {
    return this.codeActionUi('the quick-fix menu', async () => {
      // The light bulb shows once VS Code's automatic request at the cursor has come back from
      // every provider: from then on an invoked request is not raced by a slow one.
      await until('the light bulb at the cursor', () => this.page.evaluate(() => {
        const bulb = document.querySelector('.editor-group-container.active .lightBulbWidget');
        return !!bulb && getComputedStyle(bulb).display !== 'none' && getComputedStyle(bulb).visibility !== 'hidden';
      }), { timeout: 30_000 }).catch(() => {});
      await this.key('Control+.');
    }, async () => {
      const rows = await this.actionRows();
      return rows.some((r) => r.label && !r.disabled) && rows;
    });
  }

  /**
   * Triggers a code-action UI (Ctrl+. , "Fix All", a source-action key binding) and waits for
   * `done`. VS Code cancels an invoked code-action request when an automatic one (the light bulb)
   * follows within 500 ms while a provider is still busy (the TypeScript server, while it starts),
   * and then says "No code actions available" although every provider answered. A person tries
   * again; so does this, up to four times, and says so. A provider that really offers nothing
   * fails all four.
   */
  async codeActionUi(what, trigger, done) {
    // Extensions that are still activating register their providers as they go, and every
    // registration restarts VS Code's code-action state: let them finish first.
    await this.extensionsActivated();
    for (let attempt = 1; ; attempt++) {
      await this.focusEditor();
      await trigger();
      const outcome = await until(`${what} (or VS Code's "No ... available" message)`, async () => {
        const value = await done();
        if (value) return { value };
        const message = await this.page.evaluate(() => document.querySelector('.monaco-editor-overlaymessage')?.textContent?.trim());
        return message ? { message } : undefined;
      }, { timeout: 20_000 });
      if (outcome.value) return outcome.value;
      if (attempt === 4) throw new Error(`tried four times; VS Code said "${outcome.message}" each time`);
      console.log(`    (attempt ${attempt} at ${what}: VS Code said "${outcome.message}"; trying again)`);
      await this.key('Escape');
      await until('the message to close', async () => !(await this.page.locator('.monaco-editor-overlaymessage').count()), { timeout: 5_000 }).catch(() => {});
    }
  }

  /**
   * Chooses `title` in the open action widget with the keyboard (a mouse click can land on the
   * widget's pointer block): ArrowDown until it is focused, then Enter.
   */
  async chooseAction(title) {
    const rows = await this.actionRows();
    if (!rows.some((r) => r.label === title)) {
      throw new Error(`the menu does not offer "${title}"; it offers: ${JSON.stringify(rows.map((r) => r.label).filter(Boolean))}`);
    }
    for (let i = 0; i <= rows.length + 1; i++) {
      const focused = (await this.actionRows()).find((r) => r.focused);
      if (focused?.label === title) {
        await this.key('Enter');
        await until('the menu to close', async () => !(await this.page.locator('.action-widget .monaco-list-row').count()), { timeout: 10_000 });
        return;
      }
      await this.key('ArrowDown');
    }
    throw new Error(`could not focus "${title}" in the menu`);
  }

  // ------------------------------------------------------------------ Problems panel

  async showProblems() {
    if (await this.page.locator('.markers-panel:visible').count()) return;
    await this.command('Problems: Focus on Problems View');
    await this.page.locator('.markers-panel').first().waitFor({ state: 'visible', timeout: 15_000 });
  }

  /**
   * Rows of the Problems panel: files (level 1), problems (level 2, with message, source, code,
   * code link, position, severity) and related locations (level 3).
   */
  problemRows() {
    return this.page.evaluate(() => {
      const t = (el) => (el?.textContent ?? '').replace(/\u00a0/g, ' ').trim();
      return [...document.querySelectorAll('.markers-panel .monaco-list-row:not(.monaco-tree-sticky-row)')]
        .sort((a, b) => Number(a.dataset.index) - Number(b.dataset.index))
        .map((r) => {
          const level = Number(r.getAttribute('aria-level'));
          const row = { level, aria: r.getAttribute('aria-label') ?? '' };
          if (level === 1) row.file = t(r.querySelector('.label-name'));
          if (level === 2) {
            row.message = t(r.querySelector('.marker-message'));
            row.source = t(r.querySelector('.marker-source'));
            row.code = t(r.querySelector('.marker-code'));
            row.codeHref = r.querySelector('a.monaco-link')?.getAttribute('href') ?? undefined;
            row.position = t(r.querySelector('.marker-line'));
            row.severity = r.querySelector('.marker-icon')?.classList.contains('warning') ? 'warning'
              : r.querySelector('.marker-icon')?.classList.contains('error') ? 'error' : 'info';
          }
          if (level === 3) {
            row.resource = t(r.querySelector('.related-info-resource'));
            row.position = t(r.querySelector('.marker-line'));
            row.message = t(r.querySelector('.marker-description'));
          }
          return row;
        });
    });
  }

  /** The problems (level-2 rows) of the Problems panel, each with its related rows. */
  async problems() {
    await this.showProblems();
    const rows = await this.problemRows();
    const out = [];
    let file;
    for (const r of rows) {
      if (r.level === 1) file = r.file;
      else if (r.level === 2) out.push({ ...r, file, related: [] });
      else if (r.level === 3 && out.length) out[out.length - 1].related.push(r);
    }
    return out;
  }

  // ------------------------------------------------------------------ notifications, status, views

  /**
   * Records every notification toast that appears from now on (text and severity), however briefly,
   * with a MutationObserver in the page. Read with `notificationsSeen()`.
   */
  async recordNotifications() {
    await this.page.evaluate(() => {
      if (window.__e2eToasts) return;
      const seen = (window.__e2eToasts = []);
      const note = (el) => {
        const text = (el.innerText ?? '').replace(/\u00a0/g, ' ').trim();
        const severity = el.querySelector('.codicon-error') ? 'error' : el.querySelector('.codicon-warning') ? 'warning' : 'info';
        const progress = !!el.querySelector('.monaco-progress-container.active, .monaco-progress-container.infinite, .monaco-progress-container.discrete');
        if (text && !seen.some((s) => s.text === text)) seen.push({ text, severity, progress, at: Date.now() });
      };
      const scan = () => document.querySelectorAll('.notifications-toasts .notification-toast, .notifications-center .notification-list-item').forEach(note);
      new MutationObserver(scan).observe(document.body, { childList: true, subtree: true, characterData: true, attributes: true, attributeFilter: ['class'] });
      scan();
    });
  }

  notificationsSeen() {
    return this.page.evaluate(() => window.__e2eToasts ?? []);
  }

  /** Waits until the status bar no longer shows "Activating Extensions...". */
  extensionsActivated() {
    return until('extensions to finish activating', async () => !(await this.statusItems()).some((i) => /Activating Extensions/i.test(i.text)), { timeout: 60_000 });
  }

  /** The text of the status bar items, by id. */
  statusItems() {
    return this.page.evaluate(() => [...document.querySelectorAll('.statusbar-item')].map((i) => ({
      id: i.id,
      text: (i.innerText ?? '').trim(),
      aria: i.querySelector('[aria-label]')?.getAttribute('aria-label') ?? i.getAttribute('aria-label') ?? '',
    })));
  }

  /**
   * The detail of Linger's language-status item for the active editor ("2 findings · 130 ms",
   * "ready", "server stopped", ...), read from the status bar's language-status entry.
   */
  async lingerStatus() {
    const aria = await this.page.evaluate(() => document.querySelector('[id="status.languageStatus"]')?.querySelector('[aria-label]')?.getAttribute('aria-label')
      ?? document.querySelector('[id="status.languageStatus"]')?.getAttribute('aria-label') ?? '');
    const m = /Linger, (.*?)(?:, next: |$)/.exec(aria);
    return m?.[1];
  }

  /** Opens the language-status hover and returns Linger's entry: its text and severity. */
  async lingerStatusHover() {
    const read = () => this.page.evaluate(() => {
      const entry = [...document.querySelectorAll('.hover-language-status')].find((e) => e.querySelector('.left')?.textContent?.startsWith('Linger'));
      if (!entry) return undefined;
      const sev = entry.querySelector('.severity');
      return {
        text: (entry.querySelector('.left')?.textContent ?? '').replace(/\u00a0/g, ' '),
        severity: sev?.classList.contains('sev3') ? 'error' : sev?.classList.contains('sev2') ? 'warning' : 'information',
      };
    });
    // A hover left open from before would show old text: move away so that it closes, then onto the item.
    await this.page.mouse.move(700, 300);
    await until('the previous hover to close', async () => !(await read()), { timeout: 10_000 });
    const box = await this.page.locator('[id="status.languageStatus"]').boundingBox();
    if (!box) throw new Error('no language status item in the status bar');
    await this.page.mouse.move(box.x + box.width / 2, box.y + box.height / 2, { steps: 3 });
    return until('the language status hover with Linger\'s entry', read, { timeout: 10_000 });
  }

  /**
   * The view titled `view` in the view container `containerId` (e.g. "workbench.view.extension.linger",
   * an extension's activity-bar container): its pane when the container shows several views, the
   * container itself when it holds only that one (VS Code then merges the view's title into the
   * side bar's).
   */
  async viewLocator(containerId, view) {
    const container = this.page.locator(`[id="${containerId}"]`);
    const pane = container.locator('.pane').filter({ has: this.page.locator('.pane-header .title', { hasText: new RegExp(`^\\s*${view}\\s*$`, 'i') }) });
    return (await pane.count()) ? pane.first() : container;
  }

  /** Rows of the tree of a view (see `viewLocator`), in display order. */
  async viewRows(containerId, view) {
    if (!(await this.page.locator(`[id="${containerId}"]`).count())) return undefined;
    const root = await this.viewLocator(containerId, view);
    return root.evaluate((el) => {
      const t = (e) => (e?.textContent ?? '').replace(/\u00a0/g, ' ').trim();
      // Trees repeat the rows of open parents at the top (sticky scroll): leave those out.
      return [...el.querySelectorAll('.monaco-list-row:not(.monaco-tree-sticky-row)')]
        .sort((a, b) => Number(a.dataset.index) - Number(b.dataset.index))
        .map((r) => ({
          level: Number(r.getAttribute('aria-level')),
          label: t(r.querySelector('.label-name')) || t(r.querySelector('.monaco-icon-label')),
          description: t(r.querySelector('.label-description')),
          aria: r.getAttribute('aria-label') ?? '',
          expanded: r.getAttribute('aria-expanded'),
          index: Number(r.dataset.index),
        }));
    });
  }

  /** Clicks the row of a view's tree that satisfies `match`. */
  async clickViewRow(containerId, view, match, what) {
    const rows = await until(`a row ${what} in the ${view} view`, async () => (await this.viewRows(containerId, view))?.filter((r) => match(r)), { timeout: 10_000 })
      .then((rs) => { if (!rs.length) throw new Error(`no row ${what} in the ${view} view`); return rs; });
    const root = await this.viewLocator(containerId, view);
    await root.locator(`.monaco-list-row[data-index="${rows[0].index}"]:not(.monaco-tree-sticky-row)`).click();
  }

  /** Clicks a button of a view's toolbar (in its pane header, or the side bar's title when merged). */
  async clickViewAction(containerId, view, label) {
    const root = await this.viewLocator(containerId, view);
    const header = root.locator('.pane-header');
    let action;
    if (await header.count()) {
      // Pane header buttons show while the pointer is over the pane.
      await header.first().hover();
      action = header.locator(`.actions .action-label[aria-label="${label}"]`);
    } else {
      action = this.page.locator(`.part.sidebar .title-actions .action-label[aria-label="${label}"]`);
    }
    if (!(await action.count())) {
      const offered = await this.page.evaluate(() => [...document.querySelectorAll('.part.sidebar .action-label')].map((a) => a.getAttribute('aria-label')).filter(Boolean));
      throw new Error(`no "${label}" button on the ${view} view; the side bar has ${JSON.stringify(offered)}`);
    }
    await action.first().click();
  }

  /**
   * The text of a rendered Markdown preview (a webview: an iframe inside an iframe) matching `pattern`,
   * if one is shown.
   */
  async previewText(pattern) {
    for (const frame of this.page.frames()) {
      const text = await frame.evaluate(() => document.body?.innerText ?? '').catch(() => '');
      if (pattern.test(text)) return text;
    }
    return undefined;
  }

  /** The width of the side bar in pixels (VS Code's default is min(300, window width / 4)). */
  sidebarWidth() {
    return this.page.evaluate(() => document.querySelector('.part.sidebar')?.getBoundingClientRect().width);
  }

  /**
   * Whether `text`, in the label or description of the view row with label `label`, is shown whole:
   * not cut off by the row's width (the label container clips with an ellipsis).
   */
  async rowTextVisible(containerId, view, label, text) {
    const root = await this.viewLocator(containerId, view);
    return root.evaluate((el, { label, text }) => {
      const t = (e) => (e?.textContent ?? '').replace(/\u00a0/g, ' ').trim();
      const row = [...el.querySelectorAll('.monaco-list-row:not(.monaco-tree-sticky-row)')].find((r) => t(r.querySelector('.label-name')) === label);
      if (!row) return { found: false };
      const clip = row.querySelector('.monaco-icon-label-container') ?? row;
      const limit = clip.getBoundingClientRect().right;
      for (const node of row.querySelectorAll('.label-name, .label-description')) {
        const content = (node.textContent ?? '').replace(/\u00a0/g, ' ');
        const at = content.indexOf(text);
        if (at < 0) continue;
        const walker = document.createTreeWalker(node, NodeFilter.SHOW_TEXT);
        let offset = 0;
        for (let n = walker.nextNode(); n; n = walker.nextNode()) {
          const len = n.textContent.length;
          if (at >= offset && at + text.length <= offset + len) {
            const range = document.createRange();
            range.setStart(n, at - offset);
            range.setEnd(n, at - offset + text.length);
            const right = range.getBoundingClientRect().right;
            return { found: true, visible: right <= limit + 0.5, right, limit };
          }
          offset += len;
        }
      }
      return { found: false };
    }, { label, text });
  }

  /** Labels of the rows of the visible suggest (completion) widget. */
  suggestions() {
    return this.page.evaluate(() => [...document.querySelectorAll('.suggest-widget .monaco-list-row')].map((r) => (r.getAttribute('aria-label') ?? '').replace(/\u00a0/g, ' ')));
  }

  /** Everything the page shows as text (for failure reports). */
  visibleText() {
    return this.page.evaluate(() => document.body.innerText);
  }
}
