/** Turns one validation issue into Guichet's error body, naming the field at fault. */
export function validationErrorBody(issue: { code: string; path: readonly (string | number | symbol)[]; keys?: readonly string[]; message: string }) {
  const parts = issue.path.map(String);
  if (issue.code === 'unrecognized_keys' && issue.keys?.[0]) parts.push(issue.keys[0]);
  const field = parts.join('.') || undefined;
  return {
    code: issue.code === 'unrecognized_keys' ? 'validation.unknown_field' : 'validation.invalid',
    message: `${field ?? 'request'}: ${issue.message}`,
    field,
  };
}
