"""Database tables, as SQLAlchemy 2 typed models.

Models describe data only; they never commit (services own transactions). Time defaults are
callables evaluated per row, never at import. Aggregation columns of an assessment (area
scores, needs, priorities, profile, local date and month) are stored flat beside the full JSON
so dashboards can `GROUP BY` them in SQL on SQLite and PostgreSQL alike.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    ForeignKey,
    Index,
    LargeBinary,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from survey.extensions import Model


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


class Wave(Model):
    """A named date range; an assessment belongs to the wave holding its local date."""

    __tablename__ = "waves"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(80), unique=True)
    starts_on: Mapped[dt.date]
    ends_on: Mapped[dt.date | None]
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class Response(Model):
    """One SME's questionnaire, from the first page to submission.

    `token` is the respondent's private key (resume link, report URL, API id); staff pages use
    `id` and never show the token.
    """

    __tablename__ = "responses"
    id: Mapped[int] = mapped_column(primary_key=True)
    token: Mapped[str] = mapped_column(String(64), unique=True)
    status: Mapped[str] = mapped_column(String(16), default="draft", index=True)
    questionnaire_version: Mapped[str] = mapped_column(String(20))
    language: Mapped[str] = mapped_column(String(8), default="en")
    consent_version: Mapped[str | None] = mapped_column(String(20))
    answers: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    current_section: Mapped[str | None] = mapped_column(String(40))
    # Indexed: the dashboard's exact median time reads the (few) web responses among many.
    source: Mapped[str] = mapped_column(String(16), default="web", index=True)
    is_demo: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow, index=True)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    submitted_at: Mapped[dt.datetime | None]
    # A digest of the submitting browser's session key: lets that browser find its report
    # again if the answer to its submit was lost (the report's token is new at submit).
    submitted_by: Mapped[str | None] = mapped_column(String(64), index=True)
    # The firm behind a series of assessments (T0, T1 …): random, set when a follow-up starts
    # from a report, never shown in a URL, page or export. `previous_id` is the report the
    # follow-up was started from; deleting that one (`services.erasure`) clears it, so this one
    # stands alone. No foreign key on purpose: adding one makes SQLite rebuild `responses`,
    # and dropping the old table cascades to every assessment.
    firm_id: Mapped[str | None] = mapped_column(String(32), index=True)
    previous_id: Mapped[int | None] = mapped_column(index=True)

    assessment: Mapped[Assessment | None] = relationship(
        back_populates="response", uselist=False, cascade="all, delete-orphan",
        passive_deletes=True,
    )


class Assessment(Model):
    """The scored record of a submitted response: exactly one per response."""

    __tablename__ = "assessments"
    id: Mapped[int] = mapped_column(primary_key=True)
    response_id: Mapped[int] = mapped_column(
        ForeignKey("responses.id", ondelete="CASCADE"), unique=True
    )
    questionnaire_version: Mapped[str] = mapped_column(String(20))
    method_version: Mapped[str] = mapped_column(String(20))
    is_demo: Mapped[bool] = mapped_column(default=False)
    submitted_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    local_date: Mapped[dt.date]
    month: Mapped[str] = mapped_column(String(7))
    wave_id: Mapped[int | None] = mapped_column(ForeignKey("waves.id", ondelete="SET NULL"))
    duration_seconds: Mapped[int | None]

    industry: Mapped[str | None] = mapped_column(String(40))
    employees: Mapped[str | None] = mapped_column(String(20))
    revenue: Mapped[str | None] = mapped_column(String(20))
    revenue_band: Mapped[str | None] = mapped_column(String(24))
    assets_band: Mapped[str | None] = mapped_column(String(24))
    size_class: Mapped[str | None] = mapped_column(String(10))
    province: Mapped[str | None] = mapped_column(String(30))
    region: Mapped[str | None] = mapped_column(String(12))
    ownership: Mapped[str | None] = mapped_column(String(30))
    export_status: Mapped[str | None] = mapped_column(String(24))

    overall_score: Mapped[float | None]
    overall_level: Mapped[str | None] = mapped_column(String(20))
    financing_score: Mapped[float | None]
    financing_env: Mapped[float | None]
    financing_capability: Mapped[float | None]
    financing_status: Mapped[str | None] = mapped_column(String(16))
    financing_gap: Mapped[str | None] = mapped_column(String(16))
    digital_technology_score: Mapped[float | None]
    digital_technology_env: Mapped[float | None]
    digital_technology_capability: Mapped[float | None]
    digital_technology_status: Mapped[str | None] = mapped_column(String(16))
    digital_technology_gap: Mapped[str | None] = mapped_column(String(16))
    overseas_markets_score: Mapped[float | None]
    overseas_markets_env: Mapped[float | None]
    overseas_markets_capability: Mapped[float | None]
    overseas_markets_status: Mapped[str | None] = mapped_column(String(16))
    overseas_markets_gap: Mapped[str | None] = mapped_column(String(16))
    credit_constraint: Mapped[str | None] = mapped_column(String(24))
    need_digital_infrastructure: Mapped[float | None]
    need_financial_support: Mapped[float | None]
    need_ip_protection: Mapped[float | None]
    need_digital_talent: Mapped[float | None]
    need_cross_border_ecommerce: Mapped[float | None]
    priority_digital_infrastructure: Mapped[str] = mapped_column(String(16))
    priority_financial_support: Mapped[str] = mapped_column(String(16))
    priority_ip_protection: Mapped[str] = mapped_column(String(16))
    priority_digital_talent: Mapped[str] = mapped_column(String(16))
    priority_cross_border_ecommerce: Mapped[str] = mapped_column(String(16))
    # Last on purpose: the full JSON (~2 KB) spills into SQLite overflow pages, and columns
    # stored before it can be read by dashboard scans without following that chain.
    result: Mapped[dict[str, Any]] = mapped_column(JSON)

    response: Mapped[Response] = relationship(back_populates="assessment")
    wave: Mapped[Wave | None] = relationship()

    __table_args__ = (
        Index("ix_assessments_demo_date", "is_demo", "local_date"),
        Index("ix_assessments_demo_wave", "is_demo", "wave_id"),
        Index("ix_assessments_segment", "is_demo", "industry", "size_class"),
        Index("ix_assessments_region", "is_demo", "region"),
        Index("ix_assessments_month", "month"),
        Index("ix_assessments_submitted_at", "submitted_at"),
    )


class ScoreArchive(Model):
    """An assessment's earlier result, kept when `rescore` applies a newer method."""

    __tablename__ = "score_archive"
    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(
        ForeignKey("assessments.id", ondelete="CASCADE"), index=True
    )
    method_version: Mapped[str] = mapped_column(String(20))
    result: Mapped[dict[str, Any]] = mapped_column(JSON)
    archived_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


ROLES: tuple[str, ...] = ("admin", "analyst")


class StaffUser(Model):
    __tablename__ = "staff_users"
    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(16))
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    last_login_at: Mapped[dt.datetime | None]
    session_version: Mapped[int] = mapped_column(default=0)
    # TOTP second factor: a secret with no confirmation time is an enrolment in progress;
    # the last accepted time step makes every code single-use.
    totp_secret: Mapped[str | None] = mapped_column(String(64))
    totp_confirmed_at: Mapped[dt.datetime | None]
    totp_last_step: Mapped[int | None]

    @property
    def has_second_factor(self) -> bool:
        return self.totp_secret is not None and self.totp_confirmed_at is not None

    @property
    def is_active(self) -> bool:
        return self.active

    @property
    def is_authenticated(self) -> bool:
        return True

    @property
    def is_anonymous(self) -> bool:
        return False

    def get_id(self) -> str:
        return f"{self.id}:{self.session_version}"


class RecoveryCode(Model):
    """A single-use recovery code of the second factor; only its SHA-256 is stored."""

    __tablename__ = "staff_recovery_codes"
    id: Mapped[int] = mapped_column(primary_key=True)
    staff_user_id: Mapped[int] = mapped_column(
        ForeignKey("staff_users.id", ondelete="CASCADE"), index=True)
    code_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    used_at: Mapped[dt.datetime | None]


class AuditLog(Model):
    __tablename__ = "audit_log"
    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(default=utcnow, index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("staff_users.id",
                                                            ondelete="SET NULL"))
    action: Mapped[str] = mapped_column(String(40))
    target: Mapped[str | None] = mapped_column(String(200))
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class ApiToken(Model):
    """A staff API token; only its SHA-256 is stored."""

    __tablename__ = "api_tokens"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(80))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    staff_user_id: Mapped[int] = mapped_column(ForeignKey("staff_users.id", ondelete="CASCADE"))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    last_used_at: Mapped[dt.datetime | None]
    revoked_at: Mapped[dt.datetime | None]

    staff_user: Mapped[StaffUser] = relationship()


class IdempotencyKey(Model):
    """A client's `Idempotency-Key` and what its first request produced."""

    __tablename__ = "idempotency_keys"
    id: Mapped[int] = mapped_column(primary_key=True)
    scope: Mapped[str] = mapped_column(String(80))
    key: Mapped[str] = mapped_column(String(255))
    request_hash: Mapped[str] = mapped_column(String(64))
    state: Mapped[str] = mapped_column(String(12), default="in_flight")
    status_code: Mapped[int | None]
    response_id: Mapped[int | None] = mapped_column(ForeignKey("responses.id",
                                                               ondelete="CASCADE"))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow, index=True)

    __table_args__ = (UniqueConstraint("scope", "key", name="uq_idempotency_keys_scope_key"),)


PROVIDER_KINDS: tuple[str, ...] = ("member_company", "public_body", "chamber")


class Programme(Model):
    """A support programme of the directory staff keep: who runs it, what it addresses and
    which firms it is for (`eligibility`, a condition in the language of next steps, stored
    as the table it was written as and parsed by `core.programmes`)."""

    __tablename__ = "programmes"
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(60), unique=True)
    provider_kind: Mapped[str] = mapped_column(String(20))
    provider_en: Mapped[str] = mapped_column(String(200))
    provider_zh: Mapped[str] = mapped_column(String(200))
    title_en: Mapped[str] = mapped_column(String(200))
    title_zh: Mapped[str] = mapped_column(String(200))
    description_en: Mapped[str] = mapped_column(String(2000))
    description_zh: Mapped[str] = mapped_column(String(2000))
    recommendations: Mapped[list[str]] = mapped_column(JSON, default=list)
    areas: Mapped[list[str]] = mapped_column(JSON, default=list)
    eligibility: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    link: Mapped[str | None] = mapped_column(String(500))
    contact: Mapped[str | None] = mapped_column(String(200))
    valid_from: Mapped[dt.date | None]
    valid_to: Mapped[dt.date | None]
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class ProgrammeMatch(Model):
    """A programme shown in a firm's report: what staff count as "matched"."""

    __tablename__ = "programme_matches"
    id: Mapped[int] = mapped_column(primary_key=True)
    response_id: Mapped[int] = mapped_column(
        ForeignKey("responses.id", ondelete="CASCADE"), index=True)
    programme_id: Mapped[int] = mapped_column(
        ForeignKey("programmes.id", ondelete="CASCADE"), index=True)
    first_shown_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    __table_args__ = (UniqueConstraint("response_id", "programme_id",
                                       name="uq_programme_matches_pair"),)


class ContactRequest(Model):
    """A firm's explicit consent to be contacted about one programme, kept apart from its
    answers: never read by an anonymous export; withdrawing it deletes it."""

    __tablename__ = "contact_requests"
    id: Mapped[int] = mapped_column(primary_key=True)
    response_id: Mapped[int] = mapped_column(
        ForeignKey("responses.id", ondelete="CASCADE"), index=True)
    programme_id: Mapped[int] = mapped_column(
        ForeignKey("programmes.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    phone: Mapped[str | None] = mapped_column(String(40))
    email: Mapped[str | None] = mapped_column(String(254))
    consent_version: Mapped[str] = mapped_column(String(20))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow, index=True)

    programme: Mapped[Programme] = relationship()

    __table_args__ = (UniqueConstraint("response_id", "programme_id",
                                       name="uq_contact_requests_pair"),)


class ExportJob(Model):
    """A large export prepared in the background (survey/services/export_jobs.py).

    The job's state, progress and file live in the database, so any app server can show its
    progress and serve its file whichever process or worker wrote it. `params` holds what the
    staff page decided when it started (filters, free text, language and the code labels), so
    the worker needs no request.
    """

    __tablename__ = "export_jobs"
    id: Mapped[int] = mapped_column(primary_key=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("staff_users.id", ondelete="CASCADE"),
                                          index=True)
    format: Mapped[str] = mapped_column(String(8))
    state: Mapped[str] = mapped_column(String(12), default="queued")
    params: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    total_rows: Mapped[int] = mapped_column(default=0)
    rows_written: Mapped[int] = mapped_column(default=0)
    attempts: Mapped[int] = mapped_column(default=0)
    size_bytes: Mapped[int | None] = mapped_column(BigInteger)
    error: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    finished_at: Mapped[dt.datetime | None]
    expires_at: Mapped[dt.datetime] = mapped_column(index=True)


class ExportChunk(Model):
    """One piece of a finished export file, zlib-compressed, in order of `seq`."""

    __tablename__ = "export_chunks"
    job_id: Mapped[int] = mapped_column(ForeignKey("export_jobs.id", ondelete="CASCADE"),
                                        primary_key=True)
    seq: Mapped[int] = mapped_column(primary_key=True)
    data: Mapped[bytes] = mapped_column(LargeBinary)


# The pre-aggregated tables live in survey.aggregates; importing it here puts them on the same
# metadata wherever the models are loaded (migrations, create_all).
from survey import aggregates as _aggregates  # noqa: E402, F401
