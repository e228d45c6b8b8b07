from sitrep.language import detect_language
from sitrep.model import Article
from sitrep.outlets import detect_outlet


def test_language():
    assert detect_language("La ville de Mayadine aurait été reprise aux djihadistes de Daesh par l'armée syrienne.") == "fr"
    assert detect_language("Israeli air strikes kill at least 18 people in the Gaza Strip, officials said.") == "en"
    assert detect_language("whatever", declared="fr-FR") == "fr"


def test_outlet_from_metadata_url_and_furniture():
    assert detect_outlet(Article("a", "x", outlet="RFI")) == "RFI"
    assert detect_outlet(Article("a", "x", url="https://francais.rt.com/international/1")) == "RT France"
    assert detect_outlet(Article("a", "Texte.\n© Sputnik. Dmitry Vinogradov")) == "Sputnik France"
    assert detect_outlet(Article("a", "Texte.\nSuivez Orient Dépêches sur Telegram")) == "Orient Dépêches"
    assert detect_outlet(Article("a", "Texte sans signature.")) is None
