// Tree views in the side bar (the Connections and Live Sockets views): rows, clicks, toolbar
// buttons, whether a row's text fits at the side bar's width; and the rendered Markdown preview.
import { until } from '../wait.mjs';

/** @param {new (...args: any[]) => object} Base */
export const Views = (Base) => class extends Base {
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
      if (frame === this.page.mainFrame()) continue; // the workbench itself (its Problems panel names rules too)
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
};
