"""Admin pages: survey waves and the audit log."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func, select
from werkzeug.wrappers import Response as BaseResponse

from survey.extensions import db
from survey.models import Assessment, AuditLog, StaffUser, Wave
from survey.services import staff
from survey.services import waves as wave_service
from survey.staff import bp
from survey.staff.display import audit_details
from survey.staff.forms import ConfirmForm, WaveForm
from survey.web.auth import role_required

AUDIT_PAGE_SIZE = 50


@dataclass(frozen=True)
class Page:
    """What the pager macro needs, for lists paged by hand (LIMIT/OFFSET)."""

    page: int
    pages: int
    total: int

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    @property
    def prev_num(self) -> int:
        return self.page - 1

    @property
    def next_num(self) -> int:
        return self.page + 1


def _wave_rows() -> list[tuple[Wave, int]]:
    """Waves with their assessment counts, in one GROUP BY query."""
    counts = (select(Assessment.wave_id, func.count().label("n"))
              .group_by(Assessment.wave_id).subquery())
    stmt = (select(Wave, func.coalesce(counts.c.n, 0))
            .outerjoin(counts, counts.c.wave_id == Wave.id)
            .order_by(Wave.starts_on.desc(), Wave.id.desc()))
    rows: Sequence[tuple[Wave, int]] = db.session.execute(stmt).all()
    return [(w, int(n)) for w, n in rows]


@bp.get("/waves")
@role_required("admin")
def waves() -> str:
    return render_template("staff/waves.html", rows=_wave_rows(), staff_section="waves")


def _wave_input(form: WaveForm) -> wave_service.WaveInput:
    assert form.starts_on.data is not None
    return wave_service.WaveInput(name=form.name.data or "", starts_on=form.starts_on.data,
                           ends_on=form.ends_on.data)


@bp.route("/waves/new", methods=["GET", "POST"])
@role_required("admin")
def wave_new() -> BaseResponse | tuple[str, int]:
    form = WaveForm()
    if form.validate_on_submit():
        try:
            wave = wave_service.create_wave(_wave_input(form), current_user)
        except staff.StaffError as exc:
            form.form_errors.append(str(exc))
        else:
            flash(_("Wave “%(name)s” created; its assessments were re-filed.", name=wave.name),
                  "info")
            return redirect(url_for("staff.waves"))
    status = 400 if request.method == "POST" else 200
    return render_template("staff/wave_form.html", form=form, wave=None,
                           staff_section="waves"), status


@bp.route("/waves/<int:wave_id>", methods=["GET", "POST"])
@role_required("admin")
def wave_edit(wave_id: int) -> BaseResponse | tuple[str, int]:
    wave = db.get_or_404(Wave, wave_id)
    form = WaveForm(obj=wave)
    if form.validate_on_submit():
        try:
            wave_service.update_wave(wave.id, _wave_input(form), current_user)
        except staff.StaffError as exc:
            db.session.rollback()
            form.form_errors.append(str(exc))
        else:
            flash(_("Wave saved; its assessments were re-filed."), "info")
            return redirect(url_for("staff.waves"))
    status = 400 if request.method == "POST" else 200
    return render_template("staff/wave_form.html", form=form, wave=wave,
                           staff_section="waves"), status


@bp.route("/waves/<int:wave_id>/delete", methods=["GET", "POST"])
@role_required("admin")
def wave_delete(wave_id: int) -> BaseResponse | tuple[str, int]:
    wave = db.get_or_404(Wave, wave_id)
    form = ConfirmForm()
    error = None
    if form.validate_on_submit():
        try:
            wave_service.delete_wave(wave.id, current_user)
        except staff.StaffError as exc:
            db.session.rollback()
            error = str(exc)
        else:
            flash(_("Wave deleted; its assessments moved to the covering wave."), "info")
            return redirect(url_for("staff.waves"))
    count = db.session.scalar(select(func.count()).select_from(Assessment)
                              .where(Assessment.wave_id == wave.id)) or 0
    refusal = None if error else wave_service.delete_wave_refusal(wave.id)
    status = 400 if request.method == "POST" else 200
    return render_template("staff/wave_delete.html", wave=wave, form=form, count=count,
                           error=error or refusal, refused=bool(error or refusal),
                           staff_section="waves"), status


@bp.get("/audit")
@role_required("admin")
def audit() -> str:
    stmt = (select(AuditLog, StaffUser.email)
            .outerjoin(StaffUser, StaffUser.id == AuditLog.actor_id)
            .order_by(AuditLog.at.desc(), AuditLog.id.desc()))
    action = (request.args.get("action") or "").strip()[:40]
    if action:
        stmt = stmt.where(AuditLog.action.startswith(action, autoescape=True))
    page = request.args.get("page", 1, type=int) or 1
    page = max(1, min(page, 100_000))
    total = db.session.scalar(select(func.count()).select_from(
        stmt.with_only_columns(AuditLog.id).order_by(None).subquery())) or 0
    rows = db.session.execute(stmt.limit(AUDIT_PAGE_SIZE)
                              .offset((page - 1) * AUDIT_PAGE_SIZE)).all()
    pager = Page(page=page, pages=max(1, -(-total // AUDIT_PAGE_SIZE)), total=total)
    waves = {int(i): str(n) for i, n in db.session.execute(select(Wave.id, Wave.name))}
    shown = [(entry, email, audit_details(entry.details, waves)) for entry, email in rows]
    return render_template("staff/audit.html", rows=shown, pager=pager, action=action,
                           staff_section="audit")
