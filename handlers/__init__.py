"""python-telegram-bot handlers, one module per feature, composed here."""

from __future__ import annotations

from handlers.cases import common as cases_common
from handlers.cases import intake as cases_intake
from handlers.cases import officer as cases_officer
from handlers.cases import officer_list as cases_officer_list
from handlers.cases import track as cases_track
from handlers.consultations import citizen as consultations
from handlers.consultations import officer as consultations_officer
from handlers.consultations import settings as consultations_settings
from handlers.dialogues import citizen as dialogues
from handlers.dialogues import officer as dialogues_officer
from handlers.duties import reminders as duties
from handlers.faq import ask as faq
from handlers.faq import publish as faq_publish
from handlers.outreach import admin as broadcast_admin
from handlers.outreach import news, post
from handlers.people import membership, officers, onboarding, settings
from handlers.privacy import mydata
from handlers.public_answers import browse as public_answers
from handlers.public_answers import officer as public_answers_officer
from handlers.reception import citizen as reception
from handlers.reports import report as reports
from handlers.telegram import choices, errors, fallback, gate, help, menu, reachable, router
from handlers.telegram.common import TelegramApp


def register_all(application: TelegramApp) -> None:
    """Add every feature's handlers. Order matters!

    - `choices` runs first (group -4), on channels without buttons or slash
      commands only: a number, a plain word or a newcomer's hello becomes the
      press or command it stands for, handled by everything below.
    - `reachable` runs next (group -3) for every update: outbox rows waiting
      for this user or chat go now.
    - `gate` runs next (group -1) for every update: language, groups, edits.
    - `router` is the only CallbackQueryHandler: every button press goes to
      it, whatever its data, so it answers every press. Features add their
      actions to it in their own `register` (in any order); no other handler
      matches a callback query, so its place in group 0 does not matter.
    - In group 0 the first matching handler wins, so features come before
      `menu` (which matches button labels) only where their filters are
      narrower; `fallback` comes last and catches whatever nobody handled.
    - `faq` takes free text that no conversation took, except menu labels,
      so it sits just before `menu` and `fallback`; `faq_publish` (an
      officer's review of an answer before it goes into the FAQ) takes the
      corrected text it asked for, so it comes before `faq`.
    - `public_answers_officer` takes an officer's typed summary (its own
      draft flow), so it comes before `faq` too.
    """
    choices.register(application)
    reachable.register(application)
    gate.register(application)
    router.register(application)
    membership.register(application)
    onboarding.register(application)
    settings.register(application)
    help.register(application)
    officers.register(application)
    news.register(application)
    # The composer takes an officer's text, photo or document while a post is
    # being written: before cases and the FAQ, which also take those.
    post.register(application)
    broadcast_admin.register(application)
    # Consultations take an awaited comment, household or composer step: before
    # the FAQ, which takes free text too; they match only whom they asked.
    consultations.register(application)
    consultations_officer.register(application)
    consultations_settings.register(application)
    # Dialogues take an awaited question (text or voice), or an officer's typed
    # step: before the FAQ (free text) and cases (voice notes); they match only
    # whom they asked.
    dialogues.register(application)
    dialogues_officer.register(application)
    # Reception booking takes an awaited subject, case code, contact or an
    # officer's outcome: before the FAQ and cases, matching only whom it asked.
    reception.register(application)
    # Before features that take files (cases): it matches only an awaited report.
    duties.register(application)
    reports.register(application)
    # Cases: /cancel first, so it ends a form whatever flow is open.
    cases_common.register(application)
    cases_intake.register(application)
    cases_officer.register(application)
    cases_officer_list.register(application)
    cases_track.register(application)
    mydata.register(application)
    public_answers.register(application)
    public_answers_officer.register(application)
    faq_publish.register(application)
    faq.register(application)
    menu.register(application)
    fallback.register(application)
    application.add_error_handler(errors.on_error)
