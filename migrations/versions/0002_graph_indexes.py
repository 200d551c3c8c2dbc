"""graph walk indexes and a revision check

Adds the indexes that "what supports / attacks this?" queries use, and a CHECK that a
map's revision is positive. The CHECK makes SQLite recreate `argument_map`, a parent
table, in batch mode: the test of downgrade -> upgrade on a populated database proves
that no child row is lost on the way (STACK-NOTES P20).

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-26
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("argument_map", schema=None) as batch_op:
        batch_op.create_check_constraint(op.f("ck_argument_map_revision_positive"), "revision >= 1")
    op.create_index("ix_inference_conclusion", "inference", ["map_id", "conclusion_id"], unique=False)
    op.create_index("ix_conflict_target", "conflict", ["map_id", "target_id"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_conflict_target", table_name="conflict")
    op.drop_index("ix_inference_conclusion", table_name="inference")
    with op.batch_alter_table("argument_map", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_argument_map_revision_positive"), type_="check")
