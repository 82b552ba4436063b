import { useRef, useState, type CSSProperties, type KeyboardEvent, type PointerEvent } from 'react';
import { Anchor, Button, CloseButton, Group, Modal, Paper, VisuallyHidden } from '@mantine/core';
import { useLocalStorage } from '@mantine/hooks';
import { Link, Route, Routes } from 'react-router';
import { useTranslation } from 'react-i18next';
import { RequestPage } from '../requests/request-page.tsx';
import classes from './workspace.module.css';

/** The narrowest a request reads well at, and the least the list keeps beside it. */
export const PANEL_MIN = 400;
export const LIST_MIN = 320;
/** The resizer's own width (workspace.module.css, `.resizer`). */
const RESIZER = 16;
const PANEL_DEFAULT = 600;
const STEP = 32;

export const PANEL_ID = 'workspace-request-panel';

/** The request page, rendered from the key so the list keeps its scroll position, page and selection. */
function PanelRequest({ requestKey }: { requestKey: string }) {
  return (
    <Routes location={{ pathname: `/agent/panel/${encodeURIComponent(requestKey)}` }}>
      <Route path="panel/:key" element={<RequestPage />} />
    </Routes>
  );
}

/**
 * The width of the request panel beside a list `available` pixels wide (the list and the panel
 * together): what the agent last chose, remembered in this browser, within sensible bounds.
 */
export function usePanelWidth(available: number) {
  const [stored, setStored] = useLocalStorage<number | null>({
    key: 'guichet.workspace.panel-width',
    defaultValue: null,
    getInitialValueInEffect: false,
    deserialize: (value) => (value && Number.isFinite(Number(value)) ? Number(value) : null),
    serialize: (value) => String(value ?? ''),
  });
  const min = PANEL_MIN;
  // Until the split has been measured, the bounds are those of the panel alone.
  const max = available > 0 ? Math.max(min, Math.floor(available - LIST_MIN - RESIZER)) : Number.MAX_SAFE_INTEGER;
  const clamp = (value: number) => Math.round(Math.min(max, Math.max(min, value)));
  const width = clamp(stored ?? PANEL_DEFAULT);
  return { width, min, max: available > 0 ? max : Math.max(min, width), set: (value: number) => setStored(clamp(value)) };
}

/**
 * The handle between the list and the request, a window splitter as WAI-ARIA describes it: a
 * focusable separator whose value is the panel's width; dragged with the mouse or a finger, moved
 * with the arrow keys (left widens the panel), Home and End for the narrowest and widest.
 */
export function PanelResizer({ width, min, max, onChange }: { width: number; min: number; max: number; onChange: (width: number) => void }) {
  const { t } = useTranslation();
  const drag = useRef<{ x: number; width: number } | null>(null);
  const [dragging, setDragging] = useState(false);
  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const step = event.shiftKey ? STEP * 4 : STEP;
    const next =
      event.key === 'ArrowLeft' ? width + step : event.key === 'ArrowRight' ? width - step : event.key === 'Home' ? min : event.key === 'End' ? max : null;
    if (next === null) return;
    event.preventDefault();
    onChange(next);
  };
  const onPointerDown = (event: PointerEvent<HTMLDivElement>) => {
    if (event.button !== 0) return;
    // No text selection, no scrolling: the pointer is the handle's until it is released.
    event.preventDefault();
    event.currentTarget.setPointerCapture(event.pointerId);
    event.currentTarget.focus();
    drag.current = { x: event.clientX, width };
    setDragging(true);
  };
  const onPointerMove = (event: PointerEvent<HTMLDivElement>) => {
    if (drag.current) onChange(drag.current.width + drag.current.x - event.clientX);
  };
  const stop = () => {
    drag.current = null;
    setDragging(false);
  };
  return (
    // biome-ignore lint/a11y/useSemanticElements: a focusable, movable splitter (the ARIA window-splitter pattern), which <hr> cannot be.
    <div
      role="separator"
      aria-orientation="vertical"
      aria-label={t('workspace.list.resizePanel')}
      aria-controls={PANEL_ID}
      aria-valuenow={width}
      aria-valuemin={min}
      aria-valuemax={max}
      aria-valuetext={t('workspace.list.panelWidth', { width })}
      tabIndex={0}
      className={classes.resizer}
      data-dragging={dragging || undefined}
      onKeyDown={onKeyDown}
      onPointerDown={onPointerDown}
      onPointerMove={onPointerMove}
      onPointerUp={stop}
      onPointerCancel={stop}
      data-testid="panel-resizer"
    />
  );
}

/** The request beside the list, on a screen wide enough for both. */
export function RequestPanel({ requestKey, width, onClose }: { requestKey: string; width: number; onClose: () => void }) {
  const { t } = useTranslation();
  return (
    <Paper
      withBorder
      p="md"
      id={PANEL_ID}
      className={classes.panel}
      style={{ width, flexBasis: width } as CSSProperties}
      data-testid="request-panel"
      data-key={requestKey}
    >
      <Group justify="space-between" mb="xs" gap="xs">
        <Anchor component={Link} to={`/requests/${requestKey}`} fz="xs" data-testid="panel-full-page">
          {t('workspace.list.openFull')}
        </Anchor>
        <CloseButton aria-label={t('workspace.list.closePanel')} onClick={onClose} data-testid="panel-close" />
      </Group>
      <PanelRequest requestKey={requestKey} />
    </Paper>
  );
}

/**
 * The request on a phone or a small tablet, where there is no room beside the list: full screen,
 * over the list (which keeps its place, filters and checked requests), with a way back to it.
 */
export function RequestDialog({ requestKey, onClose }: { requestKey: string; onClose: () => void }) {
  const { t } = useTranslation();
  return (
    <Modal.Root opened onClose={onClose} fullScreen transitionProps={{ duration: 0 }}>
      <Modal.Content data-testid="request-panel" data-key={requestKey}>
        <Modal.Header py="xs" px="sm">
          <Button variant="subtle" size="sm" px={6} onClick={onClose} leftSection={<BackArrow />} data-autofocus>
            {t('workspace.list.backToList')}
          </Button>
          {/* The dialog's name; the request page below shows the key and the summary. */}
          <Modal.Title component="p">
            <VisuallyHidden>{t('workspace.list.requestDialog', { key: requestKey })}</VisuallyHidden>
          </Modal.Title>
          <Anchor component={Link} to={`/requests/${requestKey}`} fz="xs" data-testid="panel-full-page">
            {t('workspace.list.openFull')}
          </Anchor>
        </Modal.Header>
        <Modal.Body px="sm">
          <PanelRequest requestKey={requestKey} />
        </Modal.Body>
      </Modal.Content>
    </Modal.Root>
  );
}

function BackArrow() {
  return (
    <svg width="14" height="14" viewBox="0 0 14 14" aria-hidden focusable="false">
      <path d="M8.5 2.5 4 7l4.5 4.5" fill="none" stroke="currentColor" strokeWidth="1.6" />
    </svg>
  );
}
