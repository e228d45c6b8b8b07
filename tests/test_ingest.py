import json

from sitrep.ingest import InputError, read_inputs


def _items(paths):
    return list(read_inputs(paths))


def test_txt_with_date_line(tmp_path):
    p = tmp_path / "a1.txt"
    p.write_text(" date 2017-10 Les forces ont repris la ville.", encoding="utf-8")
    [art] = _items([p])
    assert art.article_id == "a1" and art.published == "2017-10"
    assert art.text == "Les forces ont repris la ville."


def test_cp1252_is_read_with_a_warning(tmp_path):
    p = tmp_path / "old.txt"
    p.write_bytes("Les forces loyalistes ont repris Mayadine à l'État islamique.".encode("cp1252"))
    [art] = _items([p])
    assert "État" in art.text
    assert any("cp1252" in w for w in art.warnings)


def test_bad_inputs_are_reported_and_others_read(tmp_path):
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "blob.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00")
    (tmp_path / "ok.txt").write_text("Texte valide.", encoding="utf-8")
    (tmp_path / "recs.jsonl").write_text(
        json.dumps({"id": "r1", "text": "Un texte."}) + "\n{broken\n" + json.dumps({"id": "r3"}) + "\n",
        encoding="utf-8")
    items = _items([tmp_path, tmp_path / "missing.txt"])
    errors = {str(i) for i in items if isinstance(i, InputError)}
    ids = sorted(i.article_id for i in items if not isinstance(i, InputError))
    assert ids == ["ok", "r1"]
    assert any("empty.txt: empty file" in e for e in errors)
    assert any("blob.txt: binary file" in e for e in errors)
    assert any("recs.jsonl:2: malformed JSON" in e for e in errors)
    assert any("recs.jsonl:3: record has no 'text'" in e for e in errors)
    assert any("missing.txt: no such file" in e for e in errors)
    assert all("\n" not in e for e in errors)


def test_html_through_trafilatura(tmp_path):
    body = "".join(f"<p>Paragraphe {i} : les forces syriennes ont repris la ville de Mayadine, a rapporté "
                   f"l'agence Sana, citant une source militaire.</p>" for i in range(4))
    html = (f"<html><head><title>Mayadine reprise</title><meta property='og:site_name' content='Le Journal'>"
            f"<meta name='date' content='2017-10-14'></head><body><nav>Accueil Monde</nav><article>"
            f"<h1>Mayadine reprise</h1>{body}</article><footer>Politique de cookies</footer></body></html>")
    p = tmp_path / "page.html"
    p.write_text(html, encoding="utf-8")
    [art] = _items([p])
    assert "Mayadine" in art.text and "Accueil Monde" not in art.text
    assert art.title == "Mayadine reprise"
