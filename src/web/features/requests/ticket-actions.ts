import { useState } from 'react';
import { notifications } from '@mantine/notifications';
import { errorMessage } from '../../lib/errors.ts';
import { useStoreTicket, type TicketDetail } from './requests-api.ts';

/**
 * Runs a change on a request: the returned TicketDetail replaces the cached one; a failure is shown
 * as a notification (forms with fields handle their own errors instead).
 */
export function useTicketAction() {
  const storeTicket = useStoreTicket();
  const [pending, setPending] = useState<string | null>(null);
  const run = async (name: string, call: () => Promise<TicketDetail>, success?: (detail: TicketDetail) => string | null): Promise<TicketDetail | null> => {
    setPending(name);
    try {
      const detail = await call();
      storeTicket(detail);
      const message = success?.(detail);
      if (message) notifications.show({ color: 'green', message });
      return detail;
    } catch (error) {
      notifications.show({ color: 'red', message: errorMessage(error) });
      return null;
    } finally {
      setPending(null);
    }
  };
  return { run, pending };
}
