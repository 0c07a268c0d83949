# The directory's search: what an empty result suggests (public, in all six
# languages) and the synonym list on the settings page (staff, German and
# English only).

search-tips-heading = Search tips
search-did-you-mean = Did you mean { $suggestion }?
search-browse-categories = Offers by category:
search-browse-calendar = All events in the calendar

# Staff area: settings
settings-search = Search
settings-search-hint = Applies to the public directory and to the search in the staff area. Compound words such as “Deutschkurs” are also found written apart (“Deutsch” and “Kurs”); synonyms are for words that sound different.
field-search_synonyms = Synonyms
hint-search_synonyms = One group per line, entries separated by commas, for example “Deutschkurs, Sprachkurs, Integrationskurs”. Searching for one of the words also finds the others of its group. At most 500 groups of 2 to 20 entries, each entry at most 100 characters long.
rule-synonym-entry-empty = Line { $line }: an entry is empty (two commas in a row or a comma at the end).
rule-synonym-group-single = Line { $line }: a group needs at least two different entries.
rule-synonym-entry-too-long = Line { $line }: an entry is longer than 100 characters.
rule-synonym-group-too-large = Line { $line }: a group has more than 20 entries.
rule-synonym-too-many-groups = There are more than 500 groups; please merge or shorten them.
