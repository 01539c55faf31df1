"""The bot's web pages for people (not for Slack): what the bot is, and its privacy statement.

Pure functions from a translator and the facts they state to HTML; every text is escaped. The
facts come from the code that enforces them (the retention rule), never from copies.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

from bot.config import Settings
from methods.groups import RETENTION_RANGE, GroupFields
from rendering.attendance_files import Verified, proof_rows, reader_date
from rendering.i18n import Language, Translator

STYLE = """
body { font: 17px/1.55 system-ui, sans-serif; max-width: 42rem; margin: 2rem auto;
       padding: 0 1rem; color: #1d1c1d; background: #fff; }
a { color: #1264a3; }
a.add { display: inline-block; padding: .6rem 1.2rem; border-radius: .4rem; color: #fff;
        background: #4a154b; text-decoration: none; font-weight: 600; }
@media (prefers-color-scheme: dark) {
  body { color: #e8e8e8; background: #1a1d21; } a { color: #6cb4f5; }
}
"""


@dataclass(frozen=True)
class PageFacts:
    support_email: str | None
    # Where "Add to Slack" starts, when the bot serves every workspace that installs it.
    install_path: str | None = None
    retention_days: int = GroupFields.retention_days
    retention_min: int = RETENTION_RANGE.start
    retention_max: int = RETENTION_RANGE.stop - 1

    @property
    def hosted(self) -> bool:
        return self.install_path is not None


INSTALL_PATH = "/slack/install"


def page_facts(settings: Settings) -> PageFacts:
    return PageFacts(
        support_email=settings.support_email,
        install_path=INSTALL_PATH if settings.many_workspaces else None,
    )


# Sent with every page; a page about one install is never cached.
PAGE_HEADERS = [
    ("Content-Type", "text/html; charset=utf-8"),
    ("Vary", "Accept-Language"),
    ("Cache-Control", "public, max-age=300"),
    ("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'"),
    ("X-Content-Type-Options", "nosniff"),
    ("X-Frame-Options", "DENY"),
    ("Referrer-Policy", "no-referrer"),
    # Browsers heed it over HTTPS only, which is how the pages are served (README: Deploy).
    ("Strict-Transport-Security", "max-age=31536000"),
]
PRIVATE_PAGE_HEADERS = [
    (name, "no-store" if name == "Cache-Control" else value) for name, value in PAGE_HEADERS
]


def _other(language: Language) -> Language:
    return "en" if language == "nl" else "nl"


def _page(tr: Translator, title: str, path: str, body: list[str]) -> str:
    other = _other(tr.language)
    return "\n".join(
        [
            "<!doctype html>",
            f'<html lang="{tr.language}">',
            '<head><meta charset="utf-8">',
            '<meta name="viewport" content="width=device-width, initial-scale=1">',
            f"<title>{escape(title)}</title><style>{STYLE}</style></head>",
            "<body>",
            f'<p><a href="{path}?lang={other}" hreflang="{other}" lang="{other}">'
            f"{escape(tr.text('web.other_language'))}</a></p>",
            *body,
            "</body></html>",
        ]
    )


def _retention(tr: Translator, key: str, facts: PageFacts) -> str:
    return tr.text(key, days=facts.retention_days, min=facts.retention_min, max=facts.retention_max)


def _linked(text: str, email: str | None) -> str:
    """The text, escaped, with the address in it as a mailto link."""
    if not email:
        return escape(text)
    link = f'<a href="mailto:{escape(email)}">{escape(email)}</a>'
    return escape(text).replace(escape(email), link)


def landing_page(tr: Translator, facts: PageFacts) -> str:
    return _page(
        tr,
        tr.text("web.title"),
        "/",
        [
            f"<h1>{escape(tr.text('web.title'))}</h1>",
            f"<p>{escape(tr.text('web.tagline'))}</p>",
            f"<h2>{escape(tr.text('web.what_title'))}</h2>",
            f"<p>{escape(tr.text('web.what'))}</p>",
            f"<h2>{escape(tr.text('web.stored_title'))}</h2>",
            f"<p>{escape(_retention(tr, 'web.stored', facts))}</p>",
            *_add_to_slack(tr, facts),
            f'<p><a href="/privacy?lang={tr.language}">'
            f"{escape(tr.text('web.privacy_link'))}</a></p>",
        ],
    )


def _add_to_slack(tr: Translator, facts: PageFacts) -> list[str]:
    if facts.install_path is None:
        return []
    return [
        f"<h2>{escape(tr.text('web.install_title'))}</h2>",
        f"<p>{escape(tr.text('web.install_intro'))}</p>",
        f'<p><a class="add" href="{escape(facts.install_path)}">'
        f"{escape(tr.text('web.install_button'))}</a></p>",
    ]


def installed_page(tr: Translator, facts: PageFacts, workspace: str) -> str:
    """Where Slack sends the admin after a successful install: what to do next."""
    steps = [tr.text(f"web.installed_step_{n}") for n in (1, 2, 3)]
    return _page(
        tr,
        tr.text("web.installed_title"),
        "/",
        [
            f"<h1>{escape(tr.text('web.installed_title'))}</h1>",
            f"<p>{escape(tr.text('web.installed_intro', workspace=workspace))}</p>",
            "<ol>",
            *(f"<li>{escape(step)}</li>" for step in steps),
            "</ol>",
            f'<p><a href="/privacy?lang={tr.language}">'
            f"{escape(tr.text('web.privacy_link'))}</a></p>",
        ],
    )


# Why an install did not go through, as the page names it.
FAILURES = ("cancelled", "expired", "refused", "org_wide", "error")


def install_failed_page(tr: Translator, facts: PageFacts, why: str) -> str:
    """Where Slack sends the admin when an install did not go through, and what to do."""
    again = facts.install_path or "/"
    return _page(
        tr,
        tr.text("web.install_failed_title"),
        "/",
        [
            f"<h1>{escape(tr.text('web.install_failed_title'))}</h1>",
            f"<p>{escape(tr.text(f'web.install_failed_{why}'))}</p>",
            f'<p><a href="{escape(again)}">{escape(tr.text("web.install_again"))}</a></p>',
            f"<p>{_linked(_contact(tr, facts), facts.support_email)}</p>",
        ],
    )


def _contact(tr: Translator, facts: PageFacts) -> str:
    if facts.support_email:
        return tr.text("web.privacy_contact_email", email=facts.support_email)
    return tr.text("web.privacy_contact_host")


def privacy_page(tr: Translator, facts: PageFacts) -> str:
    def section(title_key: str, *paragraphs: str) -> list[str]:
        return [
            f"<h2>{escape(tr.text(title_key))}</h2>",
            *(f"<p>{escape(p)}</p>" for p in paragraphs),
        ]

    stored = [
        tr.text(f"web.privacy_stored_{part}") for part in ("group", "cases", "followup", "person")
    ]
    contact = _contact(tr, facts)
    uninstall = "web.privacy_uninstall_hosted" if facts.hosted else "web.privacy_uninstall"
    return _page(
        tr,
        tr.text("web.privacy_title"),
        "/privacy",
        [
            f"<h1>{escape(tr.text('web.privacy_title'))}</h1>",
            f"<p>{escape(tr.text('web.privacy_intro'))}</p>",
            f"<h2>{escape(tr.text('web.privacy_stored_title'))}</h2>",
            "<ul>",
            *(f"<li>{escape(item)}</li>" for item in stored),
            "</ul>",
            *section("web.privacy_protect_title", tr.text("web.privacy_protect")),
            *section("web.privacy_retention_title", _retention(tr, "web.privacy_retention", facts)),
            *section("web.privacy_rights_title", tr.text("web.privacy_rights")),
            *section("web.privacy_uninstall_title", tr.text(uninstall)),
            f"<h2>{escape(tr.text('web.privacy_contact_title'))}</h2>",
            f"<p>{_linked(contact, facts.support_email)}</p>",
            f'<p><a href="/?lang={tr.language}">{escape(tr.text("web.title"))}</a></p>',
        ],
    )


def verify_page(tr: Translator, path: str, verified: Verified | None, too_many: bool) -> str:
    """What a proof with this code says, whether a correction replaced it, or that no proof
    has the code (nothing else: no hint of which codes exist)."""
    title = tr.text("verify.page_title")
    body = [f"<h1>{escape(title)}</h1>"]
    if too_many:
        body.append(f"<p>{escape(tr.text('verify.too_many'))}</p>")
    elif verified is None:
        body.append(f"<p>{escape(tr.text('verify.not_found'))}</p>")
    else:
        if verified.replaced_at is not None:
            date = reader_date(tr, verified.replaced_at, verified.proof.tz)
            body.append(f"<p><strong>{escape(tr.text('verify.replaced', date=date))}</strong></p>")
        else:
            body.append(f"<p>{escape(tr.text('verify.valid'))}</p>")
        rows = [(tr.text("verify.code_of"), verified.code), *proof_rows(tr, verified.proof)]
        body.append("<table>")
        body += [
            f"<tr><th>{escape(label)}</th><td>{escape(value)}</td></tr>" for label, value in rows
        ]
        body.append("</table>")
    return _page(tr, title, path, body)
