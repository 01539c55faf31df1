"""Floor 4, what people see: the Block Kit builders (messages, modals, App Home; one module per
surface, helpers in `blocks.py` and `forms.py`), the PDF and chart makers, the nl/en
catalogues in `locales/` with the translation layer (`i18n.py`), and the markup helpers with
the one escaping helper (`markup.py`).

Pure functions of what they are given: they may import `methods`, never a Slack client, a
database, a clock or a floor above.
"""
