"""Contract monitoring between a council and its children's services trust."""

from __future__ import annotations

from typing import Any

from flask import Flask

from monitoring.config import INSTANCE_DIR, PROJECT_ROOT, load_config


def create_app(config: dict[str, Any] | None = None) -> Flask:
    """Build the app: settings, extensions, blueprints and commands."""
    config = config or {}
    app = Flask(
        __name__,
        template_folder=str(PROJECT_ROOT / "templates"),
        instance_path=str(INSTANCE_DIR),
        instance_relative_config=False,
    )
    app.config.update(load_config(config.get("ENVIRONMENT")))
    app.config.update(config)

    from monitoring import blueprints, cli, web
    from monitoring.extensions import api, csrf, db, login_manager, migrate

    db.init_app(app)
    migrate.init_app(app, db, directory=str(PROJECT_ROOT / "migrations"))
    login_manager.init_app(app)
    api.init_app(app)
    web.init_app(app)  # request lifecycle: access checks first, so they run before CSRF
    csrf.init_app(app)
    blueprints.register(app)
    cli.register(app)
    return app
