"""Reading and checking the transaction tally (projects.models.TransactionTally).

Its rows have the same grains as the delegation tally's (days, months, whole
years), so ``reports.tally.within(start, end)`` selects the few rows that cover
any span exactly once. `rebuild` recounts everything (after a bulk load with
the triggers disabled, a restore, or to repair); `differences` compares the
tally with a full recount (what the tests use). The reading is
register/tallies.py's, shared with the other tallies."""

from projects import transaction_tally_sql
from projects.models import TransactionTally
from register.tallies import TallyReader

READER = TallyReader(
    TransactionTally,
    keys=("grain", "period", "province", "kind", "project_kind", "public", "approved"),
    measures=("month", "year", "transactions", "amount_vnd"),
    rebuild_statements=transaction_tally_sql.rebuild_statements,
)

visible_tally = READER.visible
counted_tally = READER.counted
rebuild = READER.rebuild
differences = READER.differences
