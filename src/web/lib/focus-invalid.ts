/**
 * After a failed submit, the keyboard focus goes to the first invalid field of the form, whoever
 * found the fault: the form's own validation (Mantine's useForm marks the field aria-invalid when it
 * renders its error) or the server (a 4xx naming the field, which applyApiError puts on it).
 *
 * One listener for every form of the app, rather than a callback in each: on submit it watches the
 * form until a field turns invalid, and moves the focus there if the person is still where the
 * submit left them (on the button, or nowhere when a busy button disabled itself). Typing, or
 * focusing something else, ends the watch: the focus is never taken from someone who moved on.
 */
const INVALID = '[aria-invalid="true"]';
/** A group of choices (radio cards, checkboxes) has no aria-invalid of its own: its error message marks it. */
const GROUP_ERROR = '.mantine-InputWrapper-error';
const CONTROL = 'input:not([type="hidden"]), textarea, select, button, [tabindex]';

function firstInvalid(form: HTMLFormElement): HTMLElement | undefined {
  for (const found of form.querySelectorAll<HTMLElement>(`${INVALID}, ${GROUP_ERROR}`)) {
    const field = found.matches(INVALID) ? found : found.closest('.mantine-InputWrapper-root')?.querySelector<HTMLElement>(CONTROL);
    if (field && field.getClientRects().length > 0 && !field.hasAttribute('disabled')) return field;
  }
  return undefined;
}

export function focusFirstInvalidOnSubmit(root: Document): () => void {
  const onSubmit = (event: Event) => {
    const form = event.target;
    if (!(form instanceof HTMLFormElement)) return;
    const submitter = (event as SubmitEvent).submitter ?? root.activeElement;
    const leftAlone = () => {
      const active = root.activeElement;
      return active === null || active === root.body || active === submitter || active === form;
    };
    const focusInvalid = () => {
      const field = firstInvalid(form);
      if (!field) return false;
      if (leftAlone()) field.focus();
      return true;
    };
    const observer = new MutationObserver(() => {
      if (focusInvalid()) stop();
    });
    const stop = () => {
      observer.disconnect();
      form.removeEventListener('input', stop);
      root.removeEventListener('focusin', onFocus);
    };
    const onFocus = (focus: FocusEvent) => {
      if (focus.target !== submitter && focus.target !== form) stop();
    };
    observer.observe(form, { attributes: true, attributeFilter: ['aria-invalid'], subtree: true, childList: true });
    form.addEventListener('input', stop);
    root.addEventListener('focusin', onFocus);
    // A field still invalid from the previous try stays so (no change to watch): focus it once the
    // form has rendered this try's outcome.
    requestAnimationFrame(() => {
      if (form.isConnected && firstInvalid(form) && leftAlone()) {
        focusInvalid();
        stop();
      }
    });
  };
  root.addEventListener('submit', onSubmit, true);
  return () => root.removeEventListener('submit', onSubmit, true);
}
