import { useLayoutEffect, useRef } from 'react';
import { Table, type TableProps } from '@mantine/core';
import classes from './list-table.module.css';

/** Writes each column's name on its cells (`data-label`), which the stacked rows of small screens show. */
function labelCells(table: HTMLTableElement) {
  const names: string[] = [];
  for (const th of table.tHead?.rows[0]?.cells ?? []) {
    for (let i = 0; i < th.colSpan; i++) names.push(th.textContent?.trim() ?? '');
  }
  for (const body of table.tBodies) {
    for (const row of body.rows) {
      let column = 0;
      for (const cell of row.cells) {
        const name = cell.colSpan === 1 ? names[column] : '';
        if (name && cell.getAttribute('data-label') !== name) cell.setAttribute('data-label', name);
        if (!name && cell.hasAttribute('data-label')) cell.removeAttribute('data-label');
        column += cell.colSpan;
      }
    }
  }
}

/**
 * A list as a table on large screens and as stacked rows under Mantine's `sm` breakpoint: each row
 * a card, each cell on its own line under its column's name. Nothing scrolls sideways, nothing is cut.
 * The column names come from the header, whatever the rows (a MutationObserver follows rows added by
 * "load more" and changed headers, as when the language changes).
 */
export function ListTable({ className, ...props }: TableProps) {
  const ref = useRef<HTMLTableElement>(null);
  useLayoutEffect(() => {
    const table = ref.current;
    if (!table) return;
    labelCells(table);
    const observer = new MutationObserver(() => labelCells(table));
    observer.observe(table, { childList: true, subtree: true, characterData: true });
    return () => observer.disconnect();
  }, []);
  return <Table ref={ref} className={[classes.table, className].filter(Boolean).join(' ')} {...props} />;
}
