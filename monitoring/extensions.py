"""Extension objects, created here and initialised in create_app."""

from flask_login import LoginManager
from flask_migrate import Migrate
from flask_smorest import Api
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect

from monitoring.core.db import Base
from monitoring.core.session import Session

db = SQLAlchemy(model_class=Base, session_options={"class_": Session})
# Batch mode lets Alembic alter SQLite tables (it copies and renames them).
migrate = Migrate(render_as_batch=True, compare_type=True)
login_manager = LoginManager()
csrf = CSRFProtect()
api = Api()
