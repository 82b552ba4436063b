/** The automatic closure's error messages: with the portal's texts (any page may show one). */
export const lifecycleErrorsEn = {
  lifecycle: {
    reminders_out_of_order: 'The second reminder must come after the first.',
    resolution_before_reminder: 'The automatic resolution must come after the second reminder.',
    follow_up_needs_closed: 'Only a closed request can have a follow-up.',
  },
  survey: {
    link_invalid: 'This survey link is not valid or has expired.',
    already_answered: 'This survey has already been answered.',
    reporter_only: 'Only the person who opened the request answers its survey.',
    not_asked: 'This request is not closed: there is no survey yet.',
    range_inverted: 'The last month must not come before the first.',
  },
};
