import { Notifications } from '@mantine/notifications';

/**
 * Where the short confirmations ("Saved") appear: downloaded with the first one (main.tsx).
 */
export default function Toasts() {
  return <Notifications position="top-right" />;
}
