"""export_jobs and export_chunks: large exports prepared in the background

Revision ID: 0004_export_jobs
Revises: 0003_response_submitted_by
Create Date: 2026-12-01 13:55:51.980478

"""
import sqlalchemy as sa
from alembic import op

revision = "0004_export_jobs"
down_revision = "0003_response_submitted_by"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table("export_jobs",
    sa.Column("id", sa.Integer(), nullable=False),
    sa.Column("owner_id", sa.Integer(), nullable=False),
    sa.Column("format", sa.String(length=8), nullable=False),
    sa.Column("state", sa.String(length=12), nullable=False),
    sa.Column("params", sa.JSON(), nullable=False),
    sa.Column("total_rows", sa.Integer(), nullable=False),
    sa.Column("rows_written", sa.Integer(), nullable=False),
    sa.Column("attempts", sa.Integer(), nullable=False),
    sa.Column("size_bytes", sa.BigInteger(), nullable=True),
    sa.Column("error", sa.String(length=200), nullable=True),
    sa.Column("created_at", sa.DateTime(), nullable=False),
    sa.Column("updated_at", sa.DateTime(), nullable=False),
    sa.Column("finished_at", sa.DateTime(), nullable=True),
    sa.Column("expires_at", sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(["owner_id"], ["staff_users.id"], name=op.f("fk_export_jobs_owner_id_staff_users"), ondelete="CASCADE"),
    sa.PrimaryKeyConstraint("id", name=op.f("pk_export_jobs"))
    )
    with op.batch_alter_table("export_jobs", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_export_jobs_expires_at"), ["expires_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_export_jobs_owner_id"), ["owner_id"], unique=False)

    op.create_table("export_chunks",
    sa.Column("job_id", sa.Integer(), nullable=False),
    sa.Column("seq", sa.Integer(), nullable=False),
    sa.Column("data", sa.LargeBinary(), nullable=False),
    sa.ForeignKeyConstraint(["job_id"], ["export_jobs.id"], name=op.f("fk_export_chunks_job_id_export_jobs"), ondelete="CASCADE"),
    sa.PrimaryKeyConstraint("job_id", "seq", name=op.f("pk_export_chunks"))
    )


def downgrade():
    op.drop_table("export_chunks")
    with op.batch_alter_table("export_jobs", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_export_jobs_owner_id"))
        batch_op.drop_index(batch_op.f("ix_export_jobs_expires_at"))

    op.drop_table("export_jobs")
