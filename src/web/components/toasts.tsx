import { Notifications } from '@mantine/notifications';

/**
 * Where the short confirmations ("Saved") appear. Loaded after the first page is drawn (main.tsx):
 * `notifications.show` only writes to a store, and this container shows what is in it once it is there.
 */
export default function Toasts() {
  return <Notifications position="top-right" />;
}
