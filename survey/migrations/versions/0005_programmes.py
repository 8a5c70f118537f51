"""programmes: the directory, the programmes shown to each firm, contact requests, and the
firm id and previous report that link a follow-up assessment to the one it started from

Revision ID: 0005_programmes
Revises: 0004_export_jobs
Create Date: 2026-12-01 13:44:59.749924

"""
import sqlalchemy as sa
from alembic import op

revision = "0005_programmes"
down_revision = "0004_export_jobs"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table("programmes",
    sa.Column("id", sa.Integer(), nullable=False),
    sa.Column("code", sa.String(length=60), nullable=False),
    sa.Column("provider_kind", sa.String(length=20), nullable=False),
    sa.Column("provider_en", sa.String(length=200), nullable=False),
    sa.Column("provider_zh", sa.String(length=200), nullable=False),
    sa.Column("title_en", sa.String(length=200), nullable=False),
    sa.Column("title_zh", sa.String(length=200), nullable=False),
    sa.Column("description_en", sa.String(length=2000), nullable=False),
    sa.Column("description_zh", sa.String(length=2000), nullable=False),
    sa.Column("recommendations", sa.JSON(), nullable=False),
    sa.Column("areas", sa.JSON(), nullable=False),
    sa.Column("eligibility", sa.JSON(), nullable=True),
    sa.Column("link", sa.String(length=500), nullable=True),
    sa.Column("contact", sa.String(length=200), nullable=True),
    sa.Column("valid_from", sa.Date(), nullable=True),
    sa.Column("valid_to", sa.Date(), nullable=True),
    sa.Column("active", sa.Boolean(), nullable=False),
    sa.Column("created_at", sa.DateTime(), nullable=False),
    sa.Column("updated_at", sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint("id", name=op.f("pk_programmes")),
    sa.UniqueConstraint("code", name=op.f("uq_programmes_code"))
    )
    op.create_table("contact_requests",
    sa.Column("id", sa.Integer(), nullable=False),
    sa.Column("response_id", sa.Integer(), nullable=False),
    sa.Column("programme_id", sa.Integer(), nullable=False),
    sa.Column("name", sa.String(length=100), nullable=False),
    sa.Column("phone", sa.String(length=40), nullable=True),
    sa.Column("email", sa.String(length=254), nullable=True),
    sa.Column("consent_version", sa.String(length=20), nullable=False),
    sa.Column("created_at", sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(["programme_id"], ["programmes.id"], name=op.f("fk_contact_requests_programme_id_programmes"), ondelete="CASCADE"),
    sa.ForeignKeyConstraint(["response_id"], ["responses.id"], name=op.f("fk_contact_requests_response_id_responses"), ondelete="CASCADE"),
    sa.PrimaryKeyConstraint("id", name=op.f("pk_contact_requests")),
    sa.UniqueConstraint("response_id", "programme_id", name="uq_contact_requests_pair")
    )
    with op.batch_alter_table("contact_requests", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_contact_requests_created_at"), ["created_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_contact_requests_programme_id"), ["programme_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_contact_requests_response_id"), ["response_id"], unique=False)

    op.create_table("programme_matches",
    sa.Column("id", sa.Integer(), nullable=False),
    sa.Column("response_id", sa.Integer(), nullable=False),
    sa.Column("programme_id", sa.Integer(), nullable=False),
    sa.Column("first_shown_at", sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(["programme_id"], ["programmes.id"], name=op.f("fk_programme_matches_programme_id_programmes"), ondelete="CASCADE"),
    sa.ForeignKeyConstraint(["response_id"], ["responses.id"], name=op.f("fk_programme_matches_response_id_responses"), ondelete="CASCADE"),
    sa.PrimaryKeyConstraint("id", name=op.f("pk_programme_matches")),
    sa.UniqueConstraint("response_id", "programme_id", name="uq_programme_matches_pair")
    )
    with op.batch_alter_table("programme_matches", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_programme_matches_programme_id"), ["programme_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_programme_matches_response_id"), ["response_id"], unique=False)

    with op.batch_alter_table("responses", schema=None) as batch_op:
        batch_op.add_column(sa.Column("firm_id", sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column("previous_id", sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f("ix_responses_firm_id"), ["firm_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_responses_previous_id"), ["previous_id"], unique=False)



def downgrade():
    with op.batch_alter_table("responses", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_responses_previous_id"))
        batch_op.drop_index(batch_op.f("ix_responses_firm_id"))
        batch_op.drop_column("previous_id")
        batch_op.drop_column("firm_id")

    with op.batch_alter_table("programme_matches", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_programme_matches_response_id"))
        batch_op.drop_index(batch_op.f("ix_programme_matches_programme_id"))

    op.drop_table("programme_matches")
    with op.batch_alter_table("contact_requests", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_contact_requests_response_id"))
        batch_op.drop_index(batch_op.f("ix_contact_requests_programme_id"))
        batch_op.drop_index(batch_op.f("ix_contact_requests_created_at"))

    op.drop_table("contact_requests")
    op.drop_table("programmes")
