"""Export jobs on the staff side: start one, watch its progress, download its file.

An export of more than EXPORT_JOB_THRESHOLD rows is not written inside the request: the POST
from the export page starts a job and redirects to its page, which shows the rows written so
far (a small script, static/js/export-job.js, polls the JSON twin of the page; without it a
reload shows the same). The file is offered to the person who started the job, and to admins,
until it expires (EXPORT_RETENTION_HOURS); every download is audited.
"""

from __future__ import annotations

from flask import (
    Response,
    abort,
    current_app,
    jsonify,
    redirect,
    render_template,
    stream_with_context,
    url_for,
)
from flask_login import current_user
from werkzeug.wrappers import Response as BaseResponse

from survey.queries import export_jobs as job_queries
from survey.queries.export_columns import LabelsByLanguage
from survey.queries.export_jobs import JobView
from survey.queries.filters import Filters
from survey.services import export_jobs, job_queue, staff
from survey.staff import bp
from survey.staff.forms import ExportForm
from survey.web.auth import role_required
from survey.web.i18n import LANGUAGES, current_language

MIMETYPES = {"csv": "text/csv", "xlsx":
             "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


def threshold() -> int:
    return int(current_app.config.get("EXPORT_JOB_THRESHOLD", 5000))


def start_response(fmt: str, filters: Filters, n: int, free_text: bool,
                   labels: LabelsByLanguage, posted: bool) -> BaseResponse | str:
    """A POST starts the job and redirects to its page; a GET (a shared link) only offers the
    button, because following a link must not start minutes of work."""
    if not posted:
        return render_template("staff/export_start.html", fmt=fmt, n=n, filters=filters,
                               form=ExportForm(), staff_section="exports")
    lang = current_language()
    req = export_jobs.JobRequest(format=fmt, filters=filters, free_text=free_text, lang=lang,
                                 locale=LANGUAGES[lang]["locale"], labels=labels)
    job_id = export_jobs.start(current_user, req, n)
    job_queue.submit(job_id)
    return redirect(url_for("staff.export_job", job_id=job_id), 303)


def _visible_job(job_id: int) -> JobView:
    """The job, for its owner or an admin; another analyst gets a 404 as for a missing job,
    so job ids reveal nothing. A job whose runner died is started again here, where someone
    is waiting for it."""
    job = job_queries.job(job_id)
    if job is None or (job.owner_id != current_user.id and current_user.role != "admin"):
        abort(404)
    if job.abandoned and export_jobs.requeue_abandoned(job.id):
        job_queue.submit(job.id)
        job = job_queries.job(job_id) or job
    return job


def _status(job: JobView) -> dict[str, object]:
    return {"id": job.id, "state": job.state, "rows_written": job.rows_written,
            "total_rows": job.total_rows, "percent": job.percent, "finished": job.finished,
            "download_url": url_for("staff.export_job_download", job_id=job.id)
            if job.state == "done" else None}


@bp.get("/exports/jobs/<int:job_id>", endpoint="export_job")
@role_required("admin", "analyst")
def job_page(job_id: int) -> str:
    job = _visible_job(job_id)
    return render_template("staff/export_job.html", job=job, status=_status(job),
                           staff_section="exports")


@bp.get("/exports/jobs/<int:job_id>.json", endpoint="export_job_status")
@role_required("admin", "analyst")
def job_status(job_id: int) -> Response:
    return jsonify(_status(_visible_job(job_id)))


def _filename(job: JobView) -> str:
    return f"assessments-{job.created_at.date().isoformat()}-{job.id}.{job.format}"


@bp.get("/exports/jobs/<int:job_id>/download", endpoint="export_job_download")
@role_required("admin", "analyst")
def job_download(job_id: int) -> BaseResponse | tuple[str, int]:
    job = _visible_job(job_id)
    if job.state == "expired":
        return render_template("staff/export_job.html", job=job, status=_status(job),
                               staff_section="exports"), 410
    if job.state != "done":
        return render_template("staff/export_job.html", job=job, status=_status(job),
                               staff_section="exports"), 409
    staff.record(current_user, "export.download", str(job.id),
                 {"job": job.id, "format": job.format, "rows": job.rows_written,
                  "owner_id": job.owner_id})
    headers = {"Content-Disposition": f'attachment; filename="{_filename(job)}"'}
    if job.size_bytes is not None:
        headers["Content-Length"] = str(job.size_bytes)
    return Response(stream_with_context(job_queries.file_chunks(job.id)),
                    mimetype=MIMETYPES[job.format], headers=headers)


def recent_jobs() -> list[JobView]:
    return job_queries.recent(current_user.id)

