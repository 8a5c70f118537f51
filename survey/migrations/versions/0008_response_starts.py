"""response_starts: web responses by the UTC day they began, demo or not, and status

What the drop-out among starters counts, pre-aggregated (survey.services.starts keeps it in
step). The table is filled here by SQL of its own, so the migration stays what it is when the
code's rule changes later: the same rule as survey.services.starts.source today.

Revision ID: 0008_response_starts
Revises: 0007_score_counts
Create Date: 2026-12-02 10:00:00

"""
import sqlalchemy as sa
from alembic import op

revision = "0008_response_starts"
down_revision = "0007_score_counts"
branch_labels = None
depends_on = None

FILL = """
INSERT INTO response_starts (started_on, is_demo, status, n)
SELECT date(created_at), is_demo, status, count(*)
FROM responses
WHERE source = 'web'
GROUP BY date(created_at), is_demo, status
"""


def upgrade():
    op.create_table(
        "response_starts",
        sa.Column("started_on", sa.Date(), nullable=False),
        sa.Column("is_demo", sa.Boolean(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("n", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("started_on", "is_demo", "status",
                                name=op.f("pk_response_starts")),
    )
    op.execute(FILL)


def downgrade():
    op.drop_table("response_starts")
