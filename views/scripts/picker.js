// The organisation picker (views/partials/organisation_picker.mustache) as an ARIA 1.2
// combobox: suggestions from GET /api/v1/organisations in a listbox, arrows to move,
// Enter to choose, Escape to close; chosen organisations become chips with a remove button
// when the field takes several. It sends the same fields as the page without the script:
// the code(s) under the field's name, and any text left typed, which the server resolves.
(() => {
  'use strict';

  const API = '/api/v1/organisations';
  const LIMIT = 10;
  const DELAY_MS = 120;

  // Returns a new element with the given attributes and text.
  function element(tag, attributes = {}, text = '') {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
    if (text) node.textContent = text;
    return node;
  }

  class Picker {
    constructor(root) {
      this.root = root;
      this.field = root.dataset.field;
      this.multiple = root.hasAttribute('data-multiple');
      this.input = root.querySelector('input[type="text"]');
      this.code = this.multiple ? null : root.querySelector('input[type="hidden"]');
      this.chips = root.querySelector('.picker__chips');
      this.options = [];
      this.active = -1;
      this.timer = 0;
      this.request = null;
      this.build();
    }

    build() {
      const id = this.input.id;
      // The script's listbox replaces the browser's datalist.
      document.getElementById(this.input.getAttribute('list'))?.remove();
      this.input.removeAttribute('list');
      const label = this.root.querySelector(':scope > label');
      label.id = `${id}-label`;
      this.listbox = element('ul', {
        id: `${id}-listbox`, role: 'listbox', class: 'picker__listbox', 'aria-labelledby': label.id,
      });
      this.listbox.hidden = true;
      this.status = element('p', { class: 'sr-only', role: 'status' });
      this.input.setAttribute('role', 'combobox');
      this.input.setAttribute('aria-autocomplete', 'list');
      this.input.setAttribute('aria-expanded', 'false');
      this.input.setAttribute('aria-controls', this.listbox.id);
      this.input.after(this.listbox);
      this.root.append(this.status);
      if (this.multiple) {
        for (const box of this.chips.querySelectorAll('input[type="checkbox"]')) {
          box.closest('li').replaceWith(this.chip(box.value, box.dataset.label));
        }
      }
      this.input.addEventListener('input', () => this.typed());
      this.input.addEventListener('keydown', (event) => this.key(event));
      this.input.addEventListener('blur', () => this.close());
      // mousedown, not click: the input keeps the focus.
      this.listbox.addEventListener('mousedown', (event) => {
        const option = event.target.closest('[role="option"]');
        event.preventDefault();
        if (option) this.choose(Number(option.dataset.index));
      });
    }

    chip(code, label) {
      const item = element('li', { class: 'picker__chip' });
      item.append(element('span', { class: 'picker__chip-label' }, label),
        element('input', { type: 'hidden', name: this.field, value: code }));
      const remove = element('button', { type: 'button', class: 'picker__remove' });
      remove.append(element('span', { 'aria-hidden': 'true' }, '×'),
        element('span', { class: 'sr-only' }, `Retirer ${label}`));
      remove.addEventListener('click', () => {
        item.remove();
        this.say(`${label} retiré.`);
        this.input.focus();
      });
      item.append(remove);
      return item;
    }

    chosen() {
      return this.multiple
        ? [...this.chips.querySelectorAll('input[type="hidden"]')].map((i) => i.value) : [];
    }

    typed() {
      if (this.code) this.code.value = '';
      clearTimeout(this.timer);
      this.timer = setTimeout(() => this.suggest(), DELAY_MS);
    }

    async suggest() {
      const q = this.input.value.trim();
      this.request?.abort();
      if (!q) {
        this.close();
        return;
      }
      this.request = new AbortController();
      let items;
      try {
        const response = await fetch(`${API}?q=${encodeURIComponent(q)}&limit=${LIMIT}`, {
          signal: this.request.signal, headers: { Accept: 'application/json' },
        });
        if (!response.ok) return;
        ({ items } = await response.json());
      } catch {
        return; // aborted by newer typing, or offline: the server still resolves the text
      }
      if (document.activeElement !== this.input) return; // the visitor moved on
      const taken = this.chosen();
      this.show(items.filter((o) => !taken.includes(o.code)));
    }

    show(items) {
      this.options = items;
      this.active = -1;
      this.listbox.replaceChildren(...items.map((o, i) => element('li', {
        id: `${this.listbox.id}-${i}`, role: 'option', class: 'picker__option',
        'aria-selected': 'false', 'data-index': String(i),
      }, o.name)));
      this.input.removeAttribute('aria-activedescendant');
      if (!items.length) {
        this.close();
        this.say('Aucun organisme ne correspond.');
        return;
      }
      this.listbox.hidden = false;
      this.input.setAttribute('aria-expanded', 'true');
      this.say(items.length === 1 ? '1 suggestion.' : `${items.length} suggestions.`);
    }

    close() {
      this.listbox.hidden = true;
      this.input.setAttribute('aria-expanded', 'false');
      this.input.removeAttribute('aria-activedescendant');
      this.active = -1;
    }

    isOpen() {
      return !this.listbox.hidden;
    }

    move(to) {
      const n = this.options.length;
      if (!n) return;
      this.active = (to + n) % n;
      for (const option of this.listbox.children) {
        const on = Number(option.dataset.index) === this.active;
        option.setAttribute('aria-selected', String(on));
        if (on) option.scrollIntoView({ block: 'nearest' });
      }
      this.input.setAttribute('aria-activedescendant', `${this.listbox.id}-${this.active}`);
    }

    key(event) {
      switch (event.key) {
        case 'ArrowDown':
        case 'ArrowUp': {
          event.preventDefault();
          const down = event.key === 'ArrowDown';
          if (!this.isOpen()) {
            if (!this.options.length) {
              this.suggest();
              return;
            }
            this.listbox.hidden = false;
            this.input.setAttribute('aria-expanded', 'true');
          }
          this.move(this.active < 0 ? (down ? 0 : -1) : this.active + (down ? 1 : -1));
          return;
        }
        case 'Enter':
          if (this.isOpen() && this.active >= 0) {
            event.preventDefault();
            this.choose(this.active);
          }
          return;
        case 'Escape':
          if (this.isOpen()) {
            event.preventDefault();
            this.close();
          } else if (this.input.value) {
            event.preventDefault();
            this.input.value = '';
            if (this.code) this.code.value = '';
          }
          return;
        default:
      }
    }

    choose(index) {
      const o = this.options[index];
      if (!o) return;
      // A late answer for the old text must not reopen the list.
      clearTimeout(this.timer);
      this.request?.abort();
      if (this.multiple) {
        this.chips.append(this.chip(o.code, o.name));
        this.input.value = '';
        this.say(`${o.name} ajouté.`);
      } else {
        this.input.value = o.name;
        this.code.value = o.code;
      }
      this.options = [];
      this.close();
    }

    say(message) {
      this.status.textContent = message;
    }
  }

  document.addEventListener('DOMContentLoaded', () => {
    for (const root of document.querySelectorAll('[data-organisation-picker]')) new Picker(root);
  });
})();
