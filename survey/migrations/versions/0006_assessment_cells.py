"""assessment cells: the assessments pre-aggregated at four grains (survey.core.cells)

The tables are created with the measures of this release written out, so the migration stays
what it was when later releases change them; they are then filled from the assessments by the
code's own rebuild when that code's measures are these (a later release that changes the
measures drops and rebuilds the tables in a migration of its own).

Revision ID: 0006_assessment_cells
Revises: 0005_programmes
Create Date: 2026-12-01 16:03:02.801529

"""
import sqlalchemy as sa
from alembic import op
from sqlalchemy.orm import Session

revision = "0006_assessment_cells"
down_revision = "0005_programmes"
branch_labels = None
depends_on = None

DIMENSION_TYPES = {
    "wave_id": sa.Integer(), "month": sa.String(length=7), "industry": sa.String(length=40),
    "size_class": sa.String(length=10), "region": sa.String(length=12),
    "export_status": sa.String(length=24), "questionnaire_version": sa.String(length=20),
    "method_version": sa.String(length=20), "is_demo": sa.Boolean(),
}
GRAINS = {
    'period': ('wave_id', 'month', 'questionnaire_version', 'method_version', 'is_demo'),
    'segment': ('industry', 'size_class', 'region', 'questionnaire_version', 'method_version', 'is_demo'),
    'place_period': ('wave_id', 'month', 'industry', 'size_class', 'region', 'is_demo'),
    'all': ('wave_id', 'month', 'industry', 'size_class', 'region', 'export_status', 'questionnaire_version', 'method_version', 'is_demo'),
}

MEASURES = (
    'n', 'n_demo', 'overall__n', 'overall__s', 'overall__ss', 'financing__n', 'financing__s',
    'financing__ss', 'digital_technology__n', 'digital_technology__s', 'digital_technology__ss',
    'overseas_markets__n', 'overseas_markets__s', 'overseas_markets__ss', 'financing_cap__n',
    'financing_cap__s', 'financing_cap__ss', 'digital_technology_cap__n',
    'digital_technology_cap__s', 'digital_technology_cap__ss', 'overseas_markets_cap__n',
    'overseas_markets_cap__s', 'overseas_markets_cap__ss', 'financing_env__n',
    'financing_env__s', 'financing_env__ss', 'digital_technology_env__n',
    'digital_technology_env__s', 'digital_technology_env__ss', 'overseas_markets_env__n',
    'overseas_markets_env__s', 'overseas_markets_env__ss', 'overall__ge_10_0',
    'overall__ge_20_0', 'overall__ge_30_0', 'overall__ge_40_0', 'overall__ge_50_0',
    'overall__ge_60_0', 'overall__ge_70_0', 'overall__ge_80_0', 'overall__ge_90_0',
    'financing__ge_10_0', 'financing__ge_20_0', 'financing__ge_30_0', 'financing__ge_40_0',
    'financing__ge_50_0', 'financing__ge_60_0', 'financing__ge_70_0', 'financing__ge_80_0',
    'financing__ge_90_0', 'digital_technology__ge_10_0', 'digital_technology__ge_20_0',
    'digital_technology__ge_30_0', 'digital_technology__ge_40_0', 'digital_technology__ge_50_0',
    'digital_technology__ge_60_0', 'digital_technology__ge_70_0', 'digital_technology__ge_80_0',
    'digital_technology__ge_90_0', 'overseas_markets__ge_10_0', 'overseas_markets__ge_20_0',
    'overseas_markets__ge_30_0', 'overseas_markets__ge_40_0', 'overseas_markets__ge_50_0',
    'overseas_markets__ge_60_0', 'overseas_markets__ge_70_0', 'overseas_markets__ge_80_0',
    'overseas_markets__ge_90_0', 'digital_infrastructure__high',
    'digital_infrastructure__medium', 'digital_infrastructure__low',
    'digital_infrastructure__unknown', 'digital_infrastructure__not_applicable',
    'financial_support__high', 'financial_support__medium', 'financial_support__low',
    'financial_support__unknown', 'financial_support__not_applicable', 'ip_protection__high',
    'ip_protection__medium', 'ip_protection__low', 'ip_protection__unknown',
    'ip_protection__not_applicable', 'digital_talent__high', 'digital_talent__medium',
    'digital_talent__low', 'digital_talent__unknown', 'digital_talent__not_applicable',
    'cross_border_ecommerce__high', 'cross_border_ecommerce__medium',
    'cross_border_ecommerce__low', 'cross_border_ecommerce__unknown',
    'cross_border_ecommerce__not_applicable', 'financing__applies',
    'digital_technology__applies', 'overseas_markets__applies', 'credit__no_need',
    'credit__not_constrained', 'credit__partially_constrained', 'credit__fully_constrained',
    'credit__unknown', 'xt__digital_technology__financing__0_0',
    'xt__digital_technology__financing__0_1', 'xt__digital_technology__financing__0_2',
    'xt__digital_technology__financing__0_3', 'xt__digital_technology__financing__0_4',
    'xt__digital_technology__financing__1_0', 'xt__digital_technology__financing__1_1',
    'xt__digital_technology__financing__1_2', 'xt__digital_technology__financing__1_3',
    'xt__digital_technology__financing__1_4', 'xt__digital_technology__financing__2_0',
    'xt__digital_technology__financing__2_1', 'xt__digital_technology__financing__2_2',
    'xt__digital_technology__financing__2_3', 'xt__digital_technology__financing__2_4',
    'xt__digital_technology__financing__3_0', 'xt__digital_technology__financing__3_1',
    'xt__digital_technology__financing__3_2', 'xt__digital_technology__financing__3_3',
    'xt__digital_technology__financing__3_4', 'xt__digital_technology__financing__4_0',
    'xt__digital_technology__financing__4_1', 'xt__digital_technology__financing__4_2',
    'xt__digital_technology__financing__4_3', 'xt__digital_technology__financing__4_4',
    'xt__financing_cap__financing_env__0_0', 'xt__financing_cap__financing_env__0_1',
    'xt__financing_cap__financing_env__0_2', 'xt__financing_cap__financing_env__0_3',
    'xt__financing_cap__financing_env__0_4', 'xt__financing_cap__financing_env__1_0',
    'xt__financing_cap__financing_env__1_1', 'xt__financing_cap__financing_env__1_2',
    'xt__financing_cap__financing_env__1_3', 'xt__financing_cap__financing_env__1_4',
    'xt__financing_cap__financing_env__2_0', 'xt__financing_cap__financing_env__2_1',
    'xt__financing_cap__financing_env__2_2', 'xt__financing_cap__financing_env__2_3',
    'xt__financing_cap__financing_env__2_4', 'xt__financing_cap__financing_env__3_0',
    'xt__financing_cap__financing_env__3_1', 'xt__financing_cap__financing_env__3_2',
    'xt__financing_cap__financing_env__3_3', 'xt__financing_cap__financing_env__3_4',
    'xt__financing_cap__financing_env__4_0', 'xt__financing_cap__financing_env__4_1',
    'xt__financing_cap__financing_env__4_2', 'xt__financing_cap__financing_env__4_3',
    'xt__financing_cap__financing_env__4_4',
    'xt__digital_technology_cap__digital_technology_env__0_0',
    'xt__digital_technology_cap__digital_technology_env__0_1',
    'xt__digital_technology_cap__digital_technology_env__0_2',
    'xt__digital_technology_cap__digital_technology_env__0_3',
    'xt__digital_technology_cap__digital_technology_env__0_4',
    'xt__digital_technology_cap__digital_technology_env__1_0',
    'xt__digital_technology_cap__digital_technology_env__1_1',
    'xt__digital_technology_cap__digital_technology_env__1_2',
    'xt__digital_technology_cap__digital_technology_env__1_3',
    'xt__digital_technology_cap__digital_technology_env__1_4',
    'xt__digital_technology_cap__digital_technology_env__2_0',
    'xt__digital_technology_cap__digital_technology_env__2_1',
    'xt__digital_technology_cap__digital_technology_env__2_2',
    'xt__digital_technology_cap__digital_technology_env__2_3',
    'xt__digital_technology_cap__digital_technology_env__2_4',
    'xt__digital_technology_cap__digital_technology_env__3_0',
    'xt__digital_technology_cap__digital_technology_env__3_1',
    'xt__digital_technology_cap__digital_technology_env__3_2',
    'xt__digital_technology_cap__digital_technology_env__3_3',
    'xt__digital_technology_cap__digital_technology_env__3_4',
    'xt__digital_technology_cap__digital_technology_env__4_0',
    'xt__digital_technology_cap__digital_technology_env__4_1',
    'xt__digital_technology_cap__digital_technology_env__4_2',
    'xt__digital_technology_cap__digital_technology_env__4_3',
    'xt__digital_technology_cap__digital_technology_env__4_4',
    'xt__overseas_markets_cap__overseas_markets_env__0_0',
    'xt__overseas_markets_cap__overseas_markets_env__0_1',
    'xt__overseas_markets_cap__overseas_markets_env__0_2',
    'xt__overseas_markets_cap__overseas_markets_env__0_3',
    'xt__overseas_markets_cap__overseas_markets_env__0_4',
    'xt__overseas_markets_cap__overseas_markets_env__1_0',
    'xt__overseas_markets_cap__overseas_markets_env__1_1',
    'xt__overseas_markets_cap__overseas_markets_env__1_2',
    'xt__overseas_markets_cap__overseas_markets_env__1_3',
    'xt__overseas_markets_cap__overseas_markets_env__1_4',
    'xt__overseas_markets_cap__overseas_markets_env__2_0',
    'xt__overseas_markets_cap__overseas_markets_env__2_1',
    'xt__overseas_markets_cap__overseas_markets_env__2_2',
    'xt__overseas_markets_cap__overseas_markets_env__2_3',
    'xt__overseas_markets_cap__overseas_markets_env__2_4',
    'xt__overseas_markets_cap__overseas_markets_env__3_0',
    'xt__overseas_markets_cap__overseas_markets_env__3_1',
    'xt__overseas_markets_cap__overseas_markets_env__3_2',
    'xt__overseas_markets_cap__overseas_markets_env__3_3',
    'xt__overseas_markets_cap__overseas_markets_env__3_4',
    'xt__overseas_markets_cap__overseas_markets_env__4_0',
    'xt__overseas_markets_cap__overseas_markets_env__4_1',
    'xt__overseas_markets_cap__overseas_markets_env__4_2',
    'xt__overseas_markets_cap__overseas_markets_env__4_3',
    'xt__overseas_markets_cap__overseas_markets_env__4_4',
)

SUMS = (
    'overall__s', 'overall__ss', 'financing__s', 'financing__ss', 'digital_technology__s',
    'digital_technology__ss', 'overseas_markets__s', 'overseas_markets__ss', 'financing_cap__s',
    'financing_cap__ss', 'digital_technology_cap__s', 'digital_technology_cap__ss',
    'overseas_markets_cap__s', 'overseas_markets_cap__ss', 'financing_env__s',
    'financing_env__ss', 'digital_technology_env__s', 'digital_technology_env__ss',
    'overseas_markets_env__s', 'overseas_markets_env__ss',
)


def _name(grain):
    return "assessment_cells" if grain == "all" else f"assessment_cells_{grain}"


def upgrade():
    for grain, dims in GRAINS.items():
        name = _name(grain)
        op.create_table(
            name,
            sa.Column("id", sa.Integer(), nullable=False),
            *(sa.Column(d, DIMENSION_TYPES[d], nullable=False) for d in dims),
            *(sa.Column(m, sa.Float() if m in SUMS else sa.BigInteger(), nullable=False)
              for m in MEASURES),
            sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{name}")),
            sa.UniqueConstraint(*dims, name=op.f(f"uq_{name}_key")),
        )
    from survey.core import cells

    if cells.GRAINS == GRAINS and cells.MEASURE_NAMES == MEASURES:
        from survey.services.cells import rebuild

        with Session(bind=op.get_bind()) as s:
            rebuild(s)
            s.flush()


def downgrade():
    for grain in reversed(list(GRAINS)):
        op.drop_table(_name(grain))
