# The directory's search: what an empty result suggests (public, in all six
# languages) and the synonym list on the settings page (staff, German and
# English only).

search-tips-heading = Tipps für die Suche
search-did-you-mean = Meinten Sie { $suggestion }?
search-browse-categories = Angebote nach Kategorie:
search-browse-calendar = Alle Veranstaltungen im Kalender

# Staff area: settings
settings-search = Suche
settings-search-hint = Gilt für das öffentliche Verzeichnis und die Suche im Mitarbeitendenbereich. Zusammengesetzte Wörter wie „Deutschkurs“ findet die Suche auch getrennt geschrieben („Deutsch“ und „Kurs“); Synonyme braucht es für Wörter, die anders lauten.
field-search_synonyms = Synonyme
hint-search_synonyms = Eine Gruppe je Zeile, Einträge durch Kommas getrennt, zum Beispiel „Deutschkurs, Sprachkurs, Integrationskurs“. Wer eines der Wörter sucht, findet auch die anderen der Gruppe. Höchstens 500 Gruppen mit 2 bis 20 Einträgen, jeder Eintrag höchstens 100 Zeichen lang.
rule-synonym-entry-empty = Zeile { $line }: Ein Eintrag ist leer (zwei Kommas hintereinander oder ein Komma am Ende).
rule-synonym-group-single = Zeile { $line }: Eine Gruppe braucht mindestens zwei verschiedene Einträge.
rule-synonym-entry-too-long = Zeile { $line }: Ein Eintrag ist länger als 100 Zeichen.
rule-synonym-group-too-large = Zeile { $line }: Eine Gruppe hat mehr als 20 Einträge.
rule-synonym-too-many-groups = Es sind mehr als 500 Gruppen; bitte zusammenfassen oder kürzen.
