import type { InvitationPreview } from '#shared/api.ts';
import type { Clock } from '../../clock.ts';
import type { DbOrTx } from '../../db/client.ts';
import { openInvitation } from './invitation-token.ts';

/** What the invitation page shows before the person chooses a password. */
export async function previewInvitation(deps: { db: DbOrTx; clock: Clock }, token: string): Promise<InvitationPreview> {
  const found = await openInvitation(deps.db, token, deps.clock.now());
  return { email: found.email, name: found.name, organization: found.organization, role: found.role };
}
