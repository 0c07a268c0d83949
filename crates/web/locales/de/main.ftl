# Deutsch: die erste Sprache der Oberfläche.

skip-to-content = Zum Inhalt springen
nav-main = Hauptnavigation
nav-languages = Sprache wählen
nav-home = Startseite
nav-about = Über msohub
nav-accessibility = Barrierefreiheit
nav-staff = Bereich für Mitarbeitende
footer-about = msohub verbindet das Kommunale Integrationszentrum mit den Migrantenselbstorganisationen der Stadt. Freie Software unter der EUPL-1.2.

home-title = Startseite
home-heading = Angebote und Organisationen in Ihrer Stadt
home-lead = Hier finden Sie die Migrantenselbstorganisationen der Stadt, ihre Angebote und Veranstaltungen – und die Angebote des Kommunalen Integrationszentrums.
home-what-heading = Was Sie hier finden
home-what-organisations = Vereine und Initiativen: wer sie sind, was sie tun und wie Sie sie erreichen.
home-what-offers = Angebote: Beratung, Sprachkurse, Treffpunkte, Hausaufgabenhilfe und mehr, in vielen Sprachen.
home-what-events = Veranstaltungen: Feste, Informationsabende, Sitzungen und Treffen.
home-staff-heading = Für Mitarbeitende des Integrationszentrums
home-staff-text = Im internen Bereich pflegen Sie das Verzeichnis, dokumentieren Besuche und Kontakte, begleiten Gremien und erstellen den Sachbericht.

about-title = Über msohub
about-lead = msohub ist die Software, mit der ein Kommunales Integrationszentrum (KI) die Zusammenarbeit mit den Migrantenselbstorganisationen (MSO) seiner Stadt koordiniert.
about-who-heading = Für wen
about-who-text = Für die Mitarbeitenden des KI, für die Vertreterinnen und Vertreter der MSO, die ihre Angaben selbst aktuell halten, und für alle, die Angebote und Veranstaltungen suchen – in ihrer Sprache.
about-licence-heading = Lizenz
about-licence-text = msohub ist freie Software unter der European Union Public Licence (EUPL-1.2). Jede Kommune darf sie nutzen, anpassen und weitergeben.

accessibility-title = Erklärung zur Barrierefreiheit
accessibility-intro = Wir möchten, dass alle Menschen diese Seiten nutzen können. Die öffentlichen Seiten sollen die Anforderungen der Barrierefreie-Informationstechnik-Verordnung (BITV 2.0) und der WCAG 2.1 auf Stufe AA erfüllen.
accessibility-status-heading = Stand der Vereinbarkeit
accessibility-status-text = Jede öffentliche Seite wird bei jeder Änderung der Software automatisch mit axe-core auf Verstöße gegen die WCAG 2.1 AA geprüft und mit der Tastatur allein bedient.
accessibility-feedback-heading = Barrieren melden
accessibility-feedback-text = Wenn Ihnen eine Barriere auffällt, schreiben Sie bitte dem Kommunalen Integrationszentrum. Wir antworten innerhalb von zwei Wochen.

staff-title = Bereich für Mitarbeitende
staff-intro = Hier entstehen die Arbeitsbereiche des Integrationszentrums. Die Anmeldung folgt mit der Benutzerverwaltung.
staff-rooms-heading = Arbeitsbereiche
staff-room-registry = Verzeichnis
staff-room-registry-text = Organisationen, Ansprechpersonen, Einwilligungen.
staff-room-contacts = Kontakte und Besuche
staff-room-contacts-text = Besuche, Gespräche, Bedarfe und Wiedervorlagen.
staff-room-bodies = Gremien
staff-room-bodies-text = Arbeitskreis, Integrationsrat, Sitzungen und Anwesenheit.
staff-room-targets = Ziele und Sachbericht
staff-room-targets-text = Berichtszeiträume, Ziele mit Fortschritt, der jährliche Sachbericht.
staff-room-admin = Verwaltung
staff-room-admin-text = Benutzer, Rollen, Einstellungen, Datensicherung.

error-code = Fehlercode
error-back-home = Zur Startseite
error-400-title = Ungültige Anfrage
error-400-text = Die Anfrage konnte nicht verarbeitet werden.
error-403-title = Kein Zugriff
error-403-text = Sie haben keine Berechtigung für diese Seite.
error-404-title = Seite nicht gefunden
error-404-text = Unter der Adresse { $path } gibt es keine Seite. Vielleicht wurde sie verschoben oder die Adresse enthält einen Tippfehler.
error-409-title = Konflikt
error-409-text = Der Datensatz wurde inzwischen von jemand anderem geändert.
error-422-title = Eingaben unvollständig
error-422-text = Einige Eingaben sind nicht gültig.
error-500-title = Interner Fehler
error-500-text = Etwas ist schiefgegangen. Der Fehler wurde protokolliert; bitte versuchen Sie es später noch einmal.
error-503-title = Vorübergehend nicht verfügbar
error-503-text = Der Dienst ist gerade nicht erreichbar. Bitte versuchen Sie es in einigen Minuten noch einmal.
