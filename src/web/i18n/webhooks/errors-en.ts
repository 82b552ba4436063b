/** The error texts of webhooks, with the portal's (an error can show on any page); the rest comes with its pages. */
export const webhooksErrorsEn = {
  webhook: {
    not_found: 'This webhook does not exist.',
    url_refused: 'This URL is refused: only https URLs to public addresses are accepted, unless the server allows the host.',
    desk_unknown: 'This desk does not exist.',
  },
  webhook_delivery: { not_found: 'This delivery does not exist.' },
};
