"""Tests of what people see (rendering/): every message, view and file in both languages
against Slack's rules, the catalogues and the glossary. Pure: built by calling the builders."""
