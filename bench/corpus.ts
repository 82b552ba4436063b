/**
 * Text the benchmark writes into requests: what customers of an ERP vendor and its Customer Services
 * write, in French, German and English. Templates are filled in SQL ({module}, {doc}, {code}, {n})
 * so a million requests read differently without a million strings crossing the wire.
 */
import type { Language } from '../src/shared/domain.ts';

export type Corpus = {
  modules: string[];
  docs: string[];
  summaries: string[];
  sentences: string[];
  customerReplies: string[];
  agentReplies: string[];
  internalNotes: string[];
};

export const CORPUS: Record<Language, Corpus> = {
  fr: {
    modules: ['comptabilité', 'facturation', 'paie', 'gestion de stock', 'achats', 'ventes', 'immobilisations', 'trésorerie', 'CRM', 'production', 'reporting', 'TVA'],
    docs: ['facture', 'fiche de paie', 'bon de livraison', 'commande fournisseur', 'note de crédit', 'relance', 'écriture comptable', 'inventaire', 'offre', 'déclaration TVA'],
    summaries: [
      'La {doc} ne s’imprime plus',
      'Erreur {code} lors de la validation de la {doc}',
      'Lenteur importante dans le module {module}',
      'Le module {module} se bloque après la mise à jour',
      'Impossible d’exporter la {doc} vers Excel',
      'Demande d’évolution : nouveau champ sur la {doc}',
      'Montants erronés dans la {doc} depuis la clôture',
      'Accès refusé au module {module} pour un utilisateur',
      'La clôture mensuelle de la {module} échoue',
      'Question sur le paramétrage de la {doc}',
      'Doublons dans les {doc}s après import',
      'Le calcul de la {module} donne un résultat différent',
    ],
    sentences: [
      'Depuis ce matin, plusieurs utilisateurs ne peuvent plus travailler dans le module {module}.',
      'Le message d’erreur {code} apparaît dès que nous validons la {doc}.',
      'Nous avons redémarré le poste et vidé le cache, sans succès.',
      'Le problème concerne environ {n} documents de la semaine dernière.',
      'La même opération fonctionnait correctement avant la dernière mise à jour.',
      'Nous devons envoyer les {doc}s à nos clients avant la fin du mois.',
      'Pouvez-vous nous indiquer un contournement en attendant une correction ?',
      'Vous trouverez ci-dessous les étapes pour reproduire le problème.',
      'L’impression passe par l’imprimante réseau du service comptable.',
      'Le traitement de nuit s’est arrêté à mi-parcours sans message clair.',
      'Les totaux de la {doc} ne correspondent pas au grand livre.',
      'Merci de traiter cette demande en priorité, la direction attend les chiffres.',
    ],
    customerReplies: [
      'Merci pour votre retour rapide, nous testons de notre côté.',
      'Le problème persiste malgré la manipulation proposée.',
      'Voici la capture d’écran de l’erreur {code} que vous avez demandée.',
      'Nous utilisons la version 24.{n} sur le serveur de production.',
      'C’est corrigé de notre côté, vous pouvez clôturer la demande.',
      'La {doc} est maintenant correcte, merci beaucoup.',
      'Pouvez-vous nous rappeler demain matin pour en discuter ?',
    ],
    agentReplies: [
      'Merci pour votre demande, nous analysons la situation.',
      'Pouvez-vous nous transmettre le journal d’erreurs du serveur ?',
      'Un correctif pour l’erreur {code} est disponible dans la version 24.{n}.',
      'Nous avons reproduit le problème sur notre environnement de test.',
      'Le paramétrage du module {module} a été corrigé, merci de vérifier.',
      'Nous avons transmis le cas à la R&D, nous revenons vers vous dès que possible.',
      'En attendant, vous pouvez saisir la {doc} manuellement.',
    ],
    internalNotes: [
      'Client sur une version non maintenue, proposer la migration.',
      'Vu avec la R&D : bogue connu, ticket interne {code}.',
      'Attention, client sensible, copie au responsable de compte.',
      'Le contournement proposé ne fonctionne pas sur leur base de données.',
    ],
  },
  de: {
    modules: ['Buchhaltung', 'Fakturierung', 'Lohnbuchhaltung', 'Lagerverwaltung', 'Einkauf', 'Verkauf', 'Anlagenbuchhaltung', 'Liquiditätsplanung', 'CRM', 'Produktion', 'Auswertungen', 'Mehrwertsteuer'],
    docs: ['Rechnung', 'Lohnabrechnung', 'Lieferschein', 'Bestellung', 'Gutschrift', 'Mahnung', 'Buchung', 'Inventur', 'Offerte', 'MWST-Abrechnung'],
    summaries: [
      '{doc} wird nicht mehr gedruckt',
      'Fehler {code} beim Verbuchen der {doc}',
      'Starke Verzögerungen im Modul {module}',
      'Modul {module} hängt nach dem Update',
      'Export der {doc} nach Excel nicht möglich',
      'Erweiterungswunsch: neues Feld auf der {doc}',
      'Falsche Beträge in der {doc} seit dem Abschluss',
      'Kein Zugriff auf das Modul {module} für einen Benutzer',
      'Monatsabschluss in der {module} schlägt fehl',
      'Frage zur Einrichtung der {doc}',
      'Doppelte Einträge bei {doc} nach dem Import',
      'Berechnung in der {module} liefert abweichende Werte',
    ],
    sentences: [
      'Seit heute Morgen können mehrere Benutzer nicht mehr im Modul {module} arbeiten.',
      'Die Fehlermeldung {code} erscheint, sobald wir die {doc} speichern.',
      'Wir haben den Rechner neu gestartet und den Cache geleert, leider ohne Erfolg.',
      'Betroffen sind ungefähr {n} Belege der letzten Woche.',
      'Vor dem letzten Update hat derselbe Ablauf einwandfrei funktioniert.',
      'Wir müssen die Rechnungen bis Ende Monat an unsere Kunden versenden.',
      'Können Sie uns eine Umgehungslösung bis zur Korrektur nennen?',
      'Unten finden Sie die Schritte, um das Problem nachzustellen.',
      'Der Druck läuft über den Netzwerkdrucker der Buchhaltung.',
      'Der Nachtlauf ist mittendrin ohne klare Meldung abgebrochen.',
      'Die Summen der {doc} stimmen nicht mit dem Hauptbuch überein.',
      'Bitte behandeln Sie die Anfrage dringend, die Geschäftsleitung wartet auf die Zahlen.',
    ],
    customerReplies: [
      'Vielen Dank für die schnelle Rückmeldung, wir testen das bei uns.',
      'Das Problem besteht trotz der vorgeschlagenen Lösung weiterhin.',
      'Anbei der Bildschirmausschnitt des Fehlers {code}, wie gewünscht.',
      'Wir verwenden Version 24.{n} auf dem Produktionsserver.',
      'Bei uns ist es behoben, Sie können die Anfrage schliessen.',
      'Die {doc} ist jetzt korrekt, herzlichen Dank.',
      'Können Sie uns morgen früh zurückrufen?',
    ],
    agentReplies: [
      'Vielen Dank für Ihre Anfrage, wir analysieren die Situation.',
      'Können Sie uns das Fehlerprotokoll des Servers senden?',
      'Eine Korrektur für den Fehler {code} ist in Version 24.{n} verfügbar.',
      'Wir konnten das Problem in unserer Testumgebung nachstellen.',
      'Die Einstellungen des Moduls {module} wurden korrigiert, bitte prüfen Sie.',
      'Wir haben den Fall an die Entwicklung weitergeleitet und melden uns so bald wie möglich.',
      'In der Zwischenzeit können Sie die {doc} manuell erfassen.',
    ],
    internalNotes: [
      'Kunde auf einer nicht mehr gewarteten Version, Migration anbieten.',
      'Mit der Entwicklung besprochen: bekannter Fehler, internes Ticket {code}.',
      'Achtung, heikler Kunde, Kundenverantwortlichen informieren.',
      'Die vorgeschlagene Umgehung funktioniert auf ihrer Datenbank nicht.',
    ],
  },
  en: {
    modules: ['accounting', 'invoicing', 'payroll', 'inventory', 'purchasing', 'sales', 'fixed assets', 'cash management', 'CRM', 'manufacturing', 'reporting', 'VAT'],
    docs: ['invoice', 'payslip', 'delivery note', 'purchase order', 'credit note', 'payment reminder', 'journal entry', 'stock count', 'quote', 'VAT return'],
    summaries: [
      'The {doc} no longer prints',
      'Error {code} when posting the {doc}',
      'Severe slowness in the {module} module',
      'The {module} module freezes after the upgrade',
      'Cannot export the {doc} to Excel',
      'Change request: new field on the {doc}',
      'Wrong amounts on the {doc} since the closing',
      'A user is denied access to the {module} module',
      'Month-end closing of {module} fails',
      'Question about setting up the {doc}',
      'Duplicate {doc}s after the import',
      'The {module} calculation gives different results',
    ],
    sentences: [
      'Since this morning several users cannot work in the {module} module.',
      'Error message {code} appears as soon as we save the {doc}.',
      'We restarted the workstation and cleared the cache, without success.',
      'About {n} documents from last week are affected.',
      'The same steps worked fine before the last upgrade.',
      'We have to send the invoices to our customers before the end of the month.',
      'Can you suggest a workaround until there is a fix?',
      'Please find below the steps to reproduce the problem.',
      'Printing goes through the network printer of the accounting team.',
      'The nightly batch stopped halfway without a clear message.',
      'The totals of the {doc} do not match the general ledger.',
      'Please handle this urgently, management is waiting for the figures.',
    ],
    customerReplies: [
      'Thanks for the quick answer, we are testing on our side.',
      'The problem is still there after the suggested steps.',
      'Here is the screenshot of error {code} you asked for.',
      'We run version 24.{n} on the production server.',
      'It is fixed on our side, you can close the request.',
      'The {doc} is correct now, thank you very much.',
      'Could you call us back tomorrow morning?',
    ],
    agentReplies: [
      'Thank you for your request, we are looking into it.',
      'Could you send us the server error log?',
      'A fix for error {code} is available in version 24.{n}.',
      'We reproduced the problem on our test environment.',
      'The settings of the {module} module were corrected, please check.',
      'We passed the case on to R&D and will get back to you as soon as possible.',
      'Meanwhile you can enter the {doc} manually.',
    ],
    internalNotes: [
      'Customer on an unsupported version, offer the migration.',
      'Checked with R&D: known bug, internal ticket {code}.',
      'Careful, sensitive customer, copy the account manager.',
      'The suggested workaround does not work on their database.',
    ],
  },
};

/** A PostgreSQL array literal of text (single quotes doubled). */
export const sqlTextArray = (items: readonly string[]) => `array[${items.map((s) => `'${s.replaceAll("'", "''")}'`).join(',')}]::text[]`;
