"""The SME Digital Readiness Survey web application.

`create_app()` only wires things together: it opens no database or network connection, so
importing the app is cheap (the CLI's `assess` needs no database) and safe in any process.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from survey import config as config_module

if TYPE_CHECKING:  # Flask is imported by create_app, so the pure core can be used without it
    from flask import Flask

ROOT = Path(__file__).resolve().parent.parent


def resource_dir(name: str) -> Path:
    """`templates` or `static`: inside the package in an installed wheel (which maps them there),
    else at the top level of a checkout, where the project keeps them."""
    packaged = Path(__file__).resolve().parent / name
    return packaged if packaged.is_dir() else ROOT / name


def create_app(overrides: dict[str, Any] | None = None) -> Flask:
    from flask import Flask

    app = Flask(
        __name__,
        instance_path=config_module.instance_path(),
        template_folder=str(resource_dir("templates")),
        static_folder=str(resource_dir("static")),
    )
    app.config.from_mapping(config_module.load(app.instance_path))
    if overrides:
        app.config.update(overrides)
    register_probe_host(app)  # inside the proxy fix: the host Flask finally sees
    register_proxy_fix(app)
    register_logging()
    register_extensions(app)
    register_blueprints(app)
    register_errorhandlers(app)
    register_commands(app)
    register_template_helpers(app)
    return app


def register_proxy_fix(app: Flask) -> None:
    """Trust X-Forwarded-For/-Proto from TRUSTED_PROXIES hops, when the peer is one of
    FORWARDED_ALLOW_IPS; X-Forwarded-Host and -Prefix only when TRUST_FORWARDED_HOST /
    TRUST_FORWARDED_PREFIX say so, since they decide which host and path the app's own links,
    redirects and QR codes name."""
    hops = int(app.config.get("TRUSTED_PROXIES", 0))
    if hops > 0:
        from survey.web.proxies import TrustedProxyFix, networks

        app.wsgi_app = TrustedProxyFix(  # type: ignore[method-assign]
            app.wsgi_app, networks(app.config["FORWARDED_ALLOW_IPS"]), x_for=hops,
            x_proto=hops, x_host=hops if app.config.get("TRUST_FORWARDED_HOST") else 0,
            x_prefix=hops if app.config.get("TRUST_FORWARDED_PREFIX") else 0,
        )


def register_probe_host(app: Flask) -> None:
    """/healthz and /readyz answer a load balancer that names the host by its IP."""
    from survey.web.probes import ProbeHost, trusted_host

    if app.config.get("TRUSTED_HOSTS"):
        host = trusted_host(app.config.get("SERVER_NAME"), app.config["TRUSTED_HOSTS"])
        if host:
            app.wsgi_app = ProbeHost(app.wsgi_app, host)  # type: ignore[method-assign]


def register_logging() -> None:
    from survey.web.log_redaction import install

    install()


def register_extensions(app: Flask) -> None:
    from survey import database  # noqa: F401 - database registers listeners
    from survey.extensions import babel, csrf, db, limiter, login_manager, migrate
    from survey.web import auth, hygiene, i18n, log_format, security

    log_format.register(app)  # first: a request refused by any later hook still gets an id
    db.init_app(app)
    migrate.init_app(app, db, directory=str(Path(__file__).parent / "migrations"),
                     render_as_batch=True)
    csrf.init_app(app)
    babel.init_app(app, locale_selector=i18n.select_locale,
                   default_translation_directories=str(Path(__file__).parent / "translations"))
    limiter.init_app(app)
    auth.init_login(app, login_manager)
    security.register(app)
    hygiene.register(app)


def register_blueprints(app: Flask) -> None:
    from survey.api import bp as api_bp
    from survey.respondent import bp as respondent_bp
    from survey.staff import bp as staff_bp
    from survey.system import bp as system_bp

    app.register_blueprint(system_bp)
    app.register_blueprint(respondent_bp)
    app.register_blueprint(staff_bp, url_prefix="/staff")
    app.register_blueprint(api_bp, url_prefix="/api/v1")


def register_errorhandlers(app: Flask) -> None:
    from survey.web import errors

    errors.register(app)


def register_commands(app: Flask) -> None:
    from survey.cli import register

    register(app)


def register_template_helpers(app: Flask) -> None:
    from survey.web import templating

    templating.register(app)
