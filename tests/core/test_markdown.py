from reseau_acv.core.markdown import markdown_to_text, render_markdown


def test_markdown_is_rendered():
    """Members' Markdown becomes headings, lists and links."""
    html = render_markdown("## OPAH-RU\n\n- étude pré-opérationnelle\n- [Anah](https://www.anah.gouv.fr)")
    assert "<h2>OPAH-RU</h2>" in html
    assert "<li>étude pré-opérationnelle</li>" in html
    assert 'href="https://www.anah.gouv.fr"' in html
    assert 'rel="noopener noreferrer nofollow"' in html


def test_script_and_event_handlers_are_removed():
    """HTML a member writes cannot run script."""
    html = render_markdown(
        '<script>alert(1)</script><img src=x onerror="alert(2)"> [lien](javascript:alert(3)) <b onclick="x()">gras</b>'
    )
    assert "<script" not in html
    assert "onerror" not in html
    assert "onclick" not in html
    assert "javascript:" not in html
    assert "<b>gras</b>" in html


def test_plain_text_version_has_no_tags():
    """E-mails get the text without tags."""
    assert markdown_to_text("**Bonjour** à *tous*") == "Bonjour à tous"
