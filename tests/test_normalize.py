from compliance.normalize import clean, normalize


def test_markdown_quotes_whitespace_and_bullets_normalize_away():
    plain = 'Meta grants you a license. See https://www.llama.com/llama4/use-policy for the "Policy".'
    markdown = ('**Meta** grants you a\r\nlicense\\. See [https://www.llama.com/llama4/use-policy]'
                '(https://www.llama.com/llama4/use-policy) for the “Policy”.')
    assert normalize(plain) == normalize(markdown)


def test_hyphenated_line_breaks_and_list_marks():
    assert normalize("a non-\ntransferable license") == normalize("a non-transferable license")
    assert normalize("- first\n* second\n• third") == "first second third"
    assert normalize("## Heading\ntext") == "heading text"


def test_clean_keeps_case():
    assert clean("Built with  Llama") == "Built with Llama"
