# Dizindeki arama: sonuç bulunamadığında gösterilen öneriler.

search-tips-heading = Arama önerileri
search-did-you-mean = Bunu mu demek istediniz: { $suggestion }?
search-browse-categories = Kategoriye göre hizmetler:
search-browse-calendar = Takvimdeki tüm etkinlikler
