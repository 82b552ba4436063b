import type { jsmImportErrorsEn } from './errors-en.ts';

type Widen<T> = { [K in keyof T]: T[K] extends string ? string : Widen<T[K]> };

export const jsmImportErrorsDe: Widen<typeof jsmImportErrorsEn> = {
  jsm_import: {
    site_invalid: 'Geben Sie die Adresse einer Jira-Service-Management-Cloud-Site ein, zum Beispiel https://ihre-firma.atlassian.net.',
    auth_failed: 'JSM hat diese E-Mail-Adresse und dieses API-Token abgelehnt. Prüfen Sie beides und ob das Konto die Service Desks lesen darf.',
    unreachable: 'Die JSM-Site ist nicht erreichbar. Prüfen Sie die Adresse oder versuchen Sie es gleich noch einmal.',
    busy: 'Der Import läuft: Halten Sie ihn an, bevor Sie ihn ändern oder neu starten.',
    unmapped: 'Einige Elemente sind noch nicht zugeordnet: Ordnen Sie sie zu und speichern Sie die Zuordnung, bevor Sie starten.',
    not_running: 'Der Import läuft nicht: Es gibt nichts anzuhalten.',
    not_resumable: 'Nur ein angehaltener oder fehlgeschlagener Import kann fortgesetzt werden.',
    not_found: 'Diesen Import gibt es nicht.',
  },
};
