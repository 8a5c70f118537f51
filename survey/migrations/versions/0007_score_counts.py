"""score counts: real assessments per score value, method, industry and size (peer benchmark)

How many real assessments hold each value of each score, by method version, industry and size
class (survey.queries.score_counts): the peer benchmark's ranks and medians read them. The
table is created with its columns written out, then filled from the assessments by the code's
own rebuild when that code counts these metrics (a later release that changes them refills the
table in a migration of its own).

Revision ID: 0007_score_counts
Revises: 0006_assessment_cells
Create Date: 2026-12-01 16:40:00.000000

"""
import sqlalchemy as sa
from alembic import op
from sqlalchemy.orm import Session

revision = "0007_score_counts"
down_revision = "0006_assessment_cells"
branch_labels = None
depends_on = None

METRICS = ("overall", "financing", "digital_technology", "overseas_markets")
KEY = ("method_version", "industry", "size_class", "metric", "score")


def upgrade():
    op.create_table(
        "score_counts",
        sa.Column("method_version", sa.String(length=20), nullable=False),
        sa.Column("industry", sa.String(length=40), nullable=False),
        sa.Column("size_class", sa.String(length=10), nullable=False),
        sa.Column("metric", sa.String(length=24), nullable=False),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("n", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint(*KEY, name=op.f("pk_score_counts")),
        sqlite_with_rowid=False,
    )
    from survey.core.questionnaire.schema import METRICS as metrics
    from survey.queries import score_counts

    if tuple(metrics) == METRICS and score_counts.KEY == KEY:
        from survey.services.cells import rebuild_score_counts

        with Session(bind=op.get_bind()) as s:
            rebuild_score_counts(s)
            s.flush()


def downgrade():
    op.drop_table("score_counts")
