/** The error texts of the JSM import, with the portal's (an error can show on any page); the rest comes with its pages. */
export const jsmImportErrorsEn = {
  jsm_import: {
    site_invalid: 'Enter the address of a Jira Service Management Cloud site, such as https://your-company.atlassian.net.',
    auth_failed: 'JSM refused this e-mail address and API token. Check them, and that the account can read the service desks.',
    unreachable: 'The JSM site cannot be reached. Check its address, or try again in a moment.',
    busy: 'The import is running: pause it before changing or starting it.',
    unmapped: 'Some items are not mapped yet: map them and save the mapping before starting.',
    not_running: 'The import is not running: there is nothing to pause.',
    not_resumable: 'Only a paused or failed import can be resumed.',
    not_found: 'This import does not exist.',
  },
};
