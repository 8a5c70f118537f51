"""responses.submitted_by: the submitting browser, to recover a report link lost in transit

Revision ID: 0003_response_submitted_by
Revises: 0002_staff_second_factor
Create Date: 2026-12-01 12:20:00

"""
import sqlalchemy as sa
from alembic import op

revision = "0003_response_submitted_by"
down_revision = "0002_staff_second_factor"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("responses", schema=None) as batch_op:
        batch_op.add_column(sa.Column("submitted_by", sa.String(length=64), nullable=True))
        batch_op.create_index(batch_op.f("ix_responses_submitted_by"), ["submitted_by"],
                              unique=False)


def downgrade():
    with op.batch_alter_table("responses", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_responses_submitted_by"))
        batch_op.drop_column("submitted_by")
