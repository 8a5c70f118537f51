"""assessment cells: the assessments pre-aggregated at four grains (survey.core.cells), and
an index on the responses' source (the exact median time reads the web responses alone)

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
    'financing__ss', 'digital_technology__n', 'digital_technology__s',
    'digital_technology__ss', 'overseas_markets__n', 'overseas_markets__s',
    'overseas_markets__ss', 'financing_cap__n', 'financing_cap__s', 'financing_cap__ss',
    'digital_technology_cap__n', 'digital_technology_cap__s', 'digital_technology_cap__ss',
    'overseas_markets_cap__n', 'overseas_markets_cap__s', 'overseas_markets_cap__ss',
    'financing_env__n', 'financing_env__s', 'financing_env__ss', 'digital_technology_env__n',
    'digital_technology_env__s', 'digital_technology_env__ss', 'overseas_markets_env__n',
    'overseas_markets_env__s', 'overseas_markets_env__ss', 'overall__ge_10_0',
    'overall__ge_20_0', 'overall__ge_30_0', 'overall__ge_40_0', 'overall__ge_50_0',
    'overall__ge_60_0', 'overall__ge_70_0', 'overall__ge_80_0', 'overall__ge_90_0',
    'financing__ge_10_0', 'financing__ge_20_0', 'financing__ge_30_0', 'financing__ge_40_0',
    'financing__ge_50_0', 'financing__ge_60_0', 'financing__ge_70_0', 'financing__ge_80_0',
    'financing__ge_90_0', 'digital_technology__ge_10_0', 'digital_technology__ge_20_0',
    'digital_technology__ge_30_0', 'digital_technology__ge_40_0',
    'digital_technology__ge_50_0', 'digital_technology__ge_60_0',
    'digital_technology__ge_70_0', 'digital_technology__ge_80_0',
    'digital_technology__ge_90_0', 'overseas_markets__ge_10_0', 'overseas_markets__ge_20_0',
    'overseas_markets__ge_30_0', 'overseas_markets__ge_40_0', 'overseas_markets__ge_50_0',
    'overseas_markets__ge_60_0', 'overseas_markets__ge_70_0', 'overseas_markets__ge_80_0',
    'overseas_markets__ge_90_0', 'digital_infrastructure__high',
    'digital_infrastructure__medium', 'digital_infrastructure__low',
    'digital_infrastructure__unknown', 'digital_infrastructure__not_applicable',
    'digital_infrastructure__known', 'financial_support__high', 'financial_support__medium',
    'financial_support__low', 'financial_support__unknown',
    'financial_support__not_applicable', 'financial_support__known', 'ip_protection__high',
    'ip_protection__medium', 'ip_protection__low', 'ip_protection__unknown',
    'ip_protection__not_applicable', 'ip_protection__known', 'digital_talent__high',
    'digital_talent__medium', 'digital_talent__low', 'digital_talent__unknown',
    'digital_talent__not_applicable', 'digital_talent__known', 'cross_border_ecommerce__high',
    'cross_border_ecommerce__medium', 'cross_border_ecommerce__low',
    'cross_border_ecommerce__unknown', 'cross_border_ecommerce__not_applicable',
    'cross_border_ecommerce__known', 'financing__applies', 'digital_technology__applies',
    'overseas_markets__applies', 'credit__no_need', 'credit__not_constrained',
    'credit__partially_constrained', 'credit__fully_constrained', 'credit__unknown',
    'credit__any', 'xt__digital_technology__financing__0_0',
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
    'xt__digital_technology__financing__both', 'xt__financing_cap__financing_env__0_0',
    'xt__financing_cap__financing_env__0_1', 'xt__financing_cap__financing_env__0_2',
    'xt__financing_cap__financing_env__0_3', 'xt__financing_cap__financing_env__0_4',
    'xt__financing_cap__financing_env__1_0', 'xt__financing_cap__financing_env__1_1',
    'xt__financing_cap__financing_env__1_2', 'xt__financing_cap__financing_env__1_3',
    'xt__financing_cap__financing_env__1_4', 'xt__financing_cap__financing_env__2_0',
    'xt__financing_cap__financing_env__2_1', 'xt__financing_cap__financing_env__2_2',
    'xt__financing_cap__financing_env__2_3', 'xt__financing_cap__financing_env__2_4',
    'xt__financing_cap__financing_env__3_0', 'xt__financing_cap__financing_env__3_1',
    'xt__financing_cap__financing_env__3_2', 'xt__financing_cap__financing_env__3_3',
    'xt__financing_cap__financing_env__3_4', 'xt__financing_cap__financing_env__4_0',
    'xt__financing_cap__financing_env__4_1', 'xt__financing_cap__financing_env__4_2',
    'xt__financing_cap__financing_env__4_3', 'xt__financing_cap__financing_env__4_4',
    'xt__financing_cap__financing_env__both',
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
    'xt__digital_technology_cap__digital_technology_env__both',
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
    'xt__overseas_markets_cap__overseas_markets_env__both', 'web_timed', 'dur__0', 'dur__1',
    'dur__2', 'dur__3', 'dur__4', 'dur__5', 'dur__6', 'dur__7', 'dur__8', 'dur__9', 'dur__10',
    'dur__11', 'dur__12', 'dur__13', 'dur__14', 'dur__15', 'dur__16', 'dur__17', 'dur__18',
    'dur__19', 'dur__20', 'dur__21', 'dur__22', 'dur__23', 'dur__24', 'dur__25', 'dur__26',
    'dur__27', 'dur__28', 'dur__29', 'dur__30', 'dur__31', 'dur__32', 'dur__33', 'dur__34',
    'dur__35', 'dur__36', 'dur__37', 'dur__38', 'dur__39', 'dur__40', 'dur__41', 'dur__42',
    'dur__43', 'dur__44', 'dur__45', 'dur__46', 'dur__47', 'dur__48', 'dur__49', 'dur__50',
    'dur__51', 'dur__52', 'dur__53', 'dur__54', 'dur__55', 'dur__56', 'dur__57', 'dur__58',
    'dur__59', 'a__column_credit_constraint__no_need',
    'a__column_credit_constraint__not_constrained',
    'a__column_credit_constraint__partially_constrained',
    'a__column_credit_constraint__fully_constrained', 'a__column_credit_constraint__unknown',
    'a__fin_demand__working_capital', 'a__fin_demand__investment', 'a__fin_demand__both',
    'a__fin_demand__no_own_funds', 'a__fin_demand__dont_know', 'a__fin_applied__yes',
    'a__fin_applied__no', 'a__fin_loan_outcome__refused', 'a__fin_loan_outcome__granted_full',
    'a__fin_loan_outcome__granted_part', 'a__fin_loan_outcome__pending',
    'a__fin_no_apply_reason__procedures', 'a__fin_no_apply_reason__interest_costs',
    'a__fin_no_apply_reason__collateral', 'a__fin_no_apply_reason__size_term',
    'a__fin_no_apply_reason__expected_refusal', 'a__fin_no_apply_reason__informal_payments',
    'a__fin_no_apply_reason__enough_funds', 'a__fin_no_apply_reason__other',
    'a__fin_collateral_burden__provided_easily', 'a__fin_collateral_burden__provided_hard',
    'a__fin_collateral_burden__could_not_provide', 'a__fin_collateral_burden__none',
    'a__fin_collateral_burden__dont_know', 'a__fin_finance_obstacle__major',
    'a__fin_finance_obstacle__very_severe', 'a__fin_finance_obstacle__none',
    'a__fin_finance_obstacle__minor', 'a__fin_finance_obstacle__moderate',
    'a__fin_finance_obstacle__dont_know', 'a__fin_overdue_share__p10_30',
    'a__fin_overdue_share__p30_50', 'a__fin_overdue_share__gt50', 'a__fin_overdue_share__none',
    'a__fin_overdue_share__lt10', 'a__fin_overdue_share__dont_know',
    'a__dig_ip_infringed__once', 'a__dig_ip_infringed__repeatedly', 'a__dig_ip_infringed__no',
    'a__dig_ip_confidence__slightly', 'a__dig_ip_confidence__not_at_all',
    'a__dig_ip_confidence__very', 'a__dig_ip_confidence__fairly',
    'a__dig_ip_confidence__dont_know', 'a__ovs_logistics_obstacle__major',
    'a__ovs_logistics_obstacle__very_severe', 'a__ovs_logistics_obstacle__none',
    'a__ovs_logistics_obstacle__minor', 'a__ovs_logistics_obstacle__moderate',
    'a__ovs_logistics_obstacle__dont_know', 'a__ovs_warehousing_obstacle__major',
    'a__ovs_warehousing_obstacle__very_severe', 'a__ovs_warehousing_obstacle__none',
    'a__ovs_warehousing_obstacle__minor', 'a__ovs_warehousing_obstacle__moderate',
    'a__ovs_warehousing_obstacle__dont_know', 'a__ovs_payments_obstacle__major',
    'a__ovs_payments_obstacle__very_severe', 'a__ovs_payments_obstacle__none',
    'a__ovs_payments_obstacle__minor', 'a__ovs_payments_obstacle__moderate',
    'a__ovs_payments_obstacle__dont_know', 'a__ovs_channels_12m',
    'a__ovs_channels_12m__marketplace', 'a__ovs_channels_12m__social_commerce',
    'a__ovs_channels_12m__b2b_platform', 'a__ovs_channels_12m__own_site',
    'a__ovs_channels_12m__offline_only', 'a__column_financing_gap__mostly_external',
    'a__column_financing_gap__mixed', 'a__column_financing_gap__mostly_internal',
    'a__column_digital_technology_gap__mostly_external',
    'a__column_digital_technology_gap__mixed',
    'a__column_digital_technology_gap__mostly_internal',
    'a__column_overseas_markets_gap__mostly_external', 'a__column_overseas_markets_gap__mixed',
    'a__column_overseas_markets_gap__mostly_internal', 'a__scheme_guarantee__aware_not_needed',
    'a__scheme_guarantee__aware_not_eligible', 'a__scheme_guarantee__aware_unsure_how',
    'a__scheme_guarantee__applied_rejected', 'a__scheme_guarantee__applied_pending',
    'a__scheme_guarantee__received_not_useful', 'a__scheme_guarantee__received_useful',
    'a__scheme_guarantee__not_aware', 'a__scheme_interest_subsidy__aware_not_needed',
    'a__scheme_interest_subsidy__aware_not_eligible',
    'a__scheme_interest_subsidy__aware_unsure_how',
    'a__scheme_interest_subsidy__applied_rejected',
    'a__scheme_interest_subsidy__applied_pending',
    'a__scheme_interest_subsidy__received_not_useful',
    'a__scheme_interest_subsidy__received_useful', 'a__scheme_interest_subsidy__not_aware',
    'a__scheme_bank_tax__aware_not_needed', 'a__scheme_bank_tax__aware_not_eligible',
    'a__scheme_bank_tax__aware_unsure_how', 'a__scheme_bank_tax__applied_rejected',
    'a__scheme_bank_tax__applied_pending', 'a__scheme_bank_tax__received_not_useful',
    'a__scheme_bank_tax__received_useful', 'a__scheme_bank_tax__not_aware',
    'a__scheme_digital_fund__aware_not_needed', 'a__scheme_digital_fund__aware_not_eligible',
    'a__scheme_digital_fund__aware_unsure_how', 'a__scheme_digital_fund__applied_rejected',
    'a__scheme_digital_fund__applied_pending', 'a__scheme_digital_fund__received_not_useful',
    'a__scheme_digital_fund__received_useful', 'a__scheme_digital_fund__not_aware',
    'a__scheme_cloud_voucher__aware_not_needed', 'a__scheme_cloud_voucher__aware_not_eligible',
    'a__scheme_cloud_voucher__aware_unsure_how', 'a__scheme_cloud_voucher__applied_rejected',
    'a__scheme_cloud_voucher__applied_pending', 'a__scheme_cloud_voucher__received_not_useful',
    'a__scheme_cloud_voucher__received_useful', 'a__scheme_cloud_voucher__not_aware',
    'a__scheme_rd_deduction__aware_not_needed', 'a__scheme_rd_deduction__aware_not_eligible',
    'a__scheme_rd_deduction__aware_unsure_how', 'a__scheme_rd_deduction__applied_rejected',
    'a__scheme_rd_deduction__applied_pending', 'a__scheme_rd_deduction__received_not_useful',
    'a__scheme_rd_deduction__received_useful', 'a__scheme_rd_deduction__not_aware',
    'a__scheme_ip_pledge__aware_not_needed', 'a__scheme_ip_pledge__aware_not_eligible',
    'a__scheme_ip_pledge__aware_unsure_how', 'a__scheme_ip_pledge__applied_rejected',
    'a__scheme_ip_pledge__applied_pending', 'a__scheme_ip_pledge__received_not_useful',
    'a__scheme_ip_pledge__received_useful', 'a__scheme_ip_pledge__not_aware',
    'a__scheme_training_subsidy__aware_not_needed',
    'a__scheme_training_subsidy__aware_not_eligible',
    'a__scheme_training_subsidy__aware_unsure_how',
    'a__scheme_training_subsidy__applied_rejected',
    'a__scheme_training_subsidy__applied_pending',
    'a__scheme_training_subsidy__received_not_useful',
    'a__scheme_training_subsidy__received_useful', 'a__scheme_training_subsidy__not_aware',
    'a__scheme_sinosure__aware_not_needed', 'a__scheme_sinosure__aware_not_eligible',
    'a__scheme_sinosure__aware_unsure_how', 'a__scheme_sinosure__applied_rejected',
    'a__scheme_sinosure__applied_pending', 'a__scheme_sinosure__received_not_useful',
    'a__scheme_sinosure__received_useful', 'a__scheme_sinosure__not_aware',
    'a__scheme_trade_fair__aware_not_needed', 'a__scheme_trade_fair__aware_not_eligible',
    'a__scheme_trade_fair__aware_unsure_how', 'a__scheme_trade_fair__applied_rejected',
    'a__scheme_trade_fair__applied_pending', 'a__scheme_trade_fair__received_not_useful',
    'a__scheme_trade_fair__received_useful', 'a__scheme_trade_fair__not_aware',
    'a__scheme_cbec_zone__aware_not_needed', 'a__scheme_cbec_zone__aware_not_eligible',
    'a__scheme_cbec_zone__aware_unsure_how', 'a__scheme_cbec_zone__applied_rejected',
    'a__scheme_cbec_zone__applied_pending', 'a__scheme_cbec_zone__received_not_useful',
    'a__scheme_cbec_zone__received_useful', 'a__scheme_cbec_zone__not_aware',
)

SUMS = (
    'overall__s', 'overall__ss', 'financing__s', 'financing__ss', 'digital_technology__s',
    'digital_technology__ss', 'overseas_markets__s', 'overseas_markets__ss',
    'financing_cap__s', 'financing_cap__ss', 'digital_technology_cap__s',
    'digital_technology_cap__ss', 'overseas_markets_cap__s', 'overseas_markets_cap__ss',
    'financing_env__s', 'financing_env__ss', 'digital_technology_env__s',
    'digital_technology_env__ss', 'overseas_markets_env__s', 'overseas_markets_env__ss',
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
    with op.batch_alter_table("responses", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_responses_source"), ["source"], unique=False)

    from survey.core import cells

    if cells.GRAINS == GRAINS and cells.MEASURE_NAMES == MEASURES:
        from survey.services.cells import rebuild

        with Session(bind=op.get_bind()) as s:
            rebuild(s, score_counts=False)  # their table comes in 0007
            s.flush()


def downgrade():
    with op.batch_alter_table("responses", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_responses_source"))

    for grain in reversed(list(GRAINS)):
        op.drop_table(_name(grain))
